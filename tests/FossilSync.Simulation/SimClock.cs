namespace FossilSync.Simulation;

/// <summary>The simulated clock every peer and server reads: it moves only when the simulation moves it.</summary>
public sealed class SimClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void Advance(TimeSpan by) => _now += by;
}
