namespace FossilSync.Tests.Infrastructure;

/// <summary>A clock that always says the same time, for deterministic runs.</summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
