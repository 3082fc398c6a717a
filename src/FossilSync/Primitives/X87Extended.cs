using System.Numerics;

namespace FossilSync.Primitives;

/// <summary>
/// A non-negative x87 extended (<c>long double</c>) value, <c>Mantissa × 2^Exponent</c> with
/// the mantissa below 2^64: every operation rounds to 64 significant bits, half to even, as the
/// FPU does. Stock fossil and its bundled SQLite turn times into text and back in
/// <c>long double</c>; emulating it exactly is how our stored times equal theirs bit for bit.
/// </summary>
internal readonly record struct X87Extended(BigInteger Mantissa, int Exponent)
{
    private const int Bits = 64;

    public static X87Extended From(double d)
    {
        long bits = BitConverter.DoubleToInt64Bits(d);
        int rawExponent = (int)((bits >> 52) & 0x7FF);
        long fraction = bits & 0xFFFFFFFFFFFFFL;
        return rawExponent == 0
            ? new X87Extended(fraction, -1074)
            : new X87Extended(fraction | (1L << 52), rawExponent - 1075);
    }

    /// <summary>An integer, exactly (a 64-bit significand holds any <c>long</c>).</summary>
    public static X87Extended From(long integer) => new(integer, 0);

    public X87Extended Times(double d) => Times(From(d));

    public X87Extended Times(X87Extended other) => Round(Mantissa * other.Mantissa, Exponent + other.Exponent);

    /// <summary>The quotient rounded once to 64 bits, as <c>fdiv</c> does.</summary>
    public X87Extended DividedBy(X87Extended divisor)
    {
        if (divisor.Mantissa.IsZero) throw new DivideByZeroException();
        // Enough quotient bits that the rounding sees a guard bit and a sticky remainder bit.
        int shift = Bits + 2 + (int)divisor.Mantissa.GetBitLength() - (int)Mantissa.GetBitLength();
        if (shift < 0) shift = 0;
        var quotient = BigInteger.DivRem(Mantissa << shift, divisor.Mantissa, out var remainder);
        var sticky = remainder.IsZero ? BigInteger.Zero : BigInteger.One;
        return Round((quotient << 1) + sticky, Exponent - divisor.Exponent - shift - 1);
    }

    public X87Extended Plus(double d) => Add(From(d), negate: false);

    public X87Extended Minus(int integer) => Add(new X87Extended(integer, 0), negate: true);

    public int Truncate() => (int)(Exponent >= 0 ? Mantissa << Exponent : Mantissa >> -Exponent);

    public int CompareTo(double d)
    {
        var other = From(d);
        int e = Math.Min(Exponent, other.Exponent);
        return (Mantissa << (Exponent - e)).CompareTo(other.Mantissa << (other.Exponent - e));
    }

    /// <summary>
    /// The <c>double</c> a C assignment from <c>long double</c> gives: rounded again, to 53
    /// bits. Rounding twice is what can land one unit away from the correctly rounded value.
    /// Normal doubles only, which is all a time can be.
    /// </summary>
    public double ToDouble()
    {
        if (Mantissa.IsZero) return 0.0;
        var (kept, exponent) = RoundTo(Mantissa, Exponent, 53);
        return Math.ScaleB((double)(long)kept, exponent);
    }

    private X87Extended Add(X87Extended other, bool negate)
    {
        int e = Math.Min(Exponent, other.Exponent);
        var a = Mantissa << (Exponent - e);
        var b = other.Mantissa << (other.Exponent - e);
        return Round(negate ? a - b : a + b, e);
    }

    private static X87Extended Round(BigInteger mantissa, int exponent)
    {
        if (mantissa.IsZero) return new X87Extended(0, 0);
        var (kept, e) = RoundTo(mantissa, exponent, Bits);
        return new X87Extended(kept, e);
    }

    private static (BigInteger Kept, int Exponent) RoundTo(BigInteger mantissa, int exponent, int bits)
    {
        int excess = (int)mantissa.GetBitLength() - bits;
        if (excess <= 0) return (mantissa, exponent);
        var kept = mantissa >> excess;
        var rest = mantissa - (kept << excess);
        var half = BigInteger.One << (excess - 1);
        if (rest > half || (rest == half && !kept.IsEven)) kept += 1;
        if (kept.GetBitLength() > bits)
        {
            kept >>= 1;
            excess++;
        }
        return (kept, exponent + excess);
    }
}
