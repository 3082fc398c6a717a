namespace FossilSync.Primitives;

/// <summary>
/// <see cref="JulianDay.ThroughSqlText"/> with its last few answers kept: a crosslink asks for
/// the same few times again and again (a check-in's plink rows and event, its parent's time next
/// to it). One per crosslink session, dropped with it.
/// </summary>
internal sealed class RecentJulianDays
{
    private const int Slots = 8;

    private readonly (long Bits, double Value)[] _recent = new (long, double)[Slots];

    /// <inheritdoc cref="JulianDay.ThroughSqlText"/>
    public double ThroughSqlText(double julianDay)
    {
        if (!(julianDay > 0 && double.IsFinite(julianDay))) return julianDay;
        long bits = BitConverter.DoubleToInt64Bits(julianDay);
        ref var slot = ref _recent[(int)((ulong)bits * 0x9E3779B97F4A7C15UL >> 61)];
        // Bits 0 is +0.0, which never gets here, so an empty slot cannot match.
        if (slot.Bits == bits) return slot.Value;
        double result = JulianDay.ThroughSqlText(julianDay);
        slot = (bits, result);
        return result;
    }
}
