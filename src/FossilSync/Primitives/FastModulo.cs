namespace FossilSync.Primitives;

/// <summary>
/// The remainder by one fixed divisor, from two multiplications instead of a division (Lemire,
/// Kaser and Kurz, "Faster remainder by direct computation", as .NET's own dictionaries do it):
/// the delta encoder takes a remainder for every byte of a target it scans.
/// </summary>
internal readonly struct FastModulo
{
    private readonly uint _divisor;
    private readonly ulong _multiplier;

    /// <param name="divisor">At least 1 and at most <see cref="int.MaxValue"/>, where the method is exact for every 32-bit value.</param>
    public FastModulo(int divisor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(divisor, 1);
        _divisor = (uint)divisor;
        _multiplier = ulong.MaxValue / _divisor + 1;
    }

    /// <summary><paramref name="value"/> % the divisor.</summary>
    public uint Of(uint value) => (uint)((((_multiplier * value) >> 32) + 1) * _divisor >> 32);
}
