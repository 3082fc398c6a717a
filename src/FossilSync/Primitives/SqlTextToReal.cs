namespace FossilSync.Primitives;

/// <summary>
/// Text to REAL as stock fossil's bundled SQLite (3.41, <c>sqlite3AtoF</c>) converts it: the
/// digits gathered into a 64-bit integer, divided or multiplied by a power of ten in
/// <c>long double</c>, then rounded to <c>double</c>. That double rounding is not always the
/// correctly rounded value <see cref="double.Parse(string)"/> gives: for some times it lands one
/// unit away, and stock stores that value.
/// </summary>
internal static class SqlTextToReal
{
    private const long LargestInt64 = long.MaxValue;

    /// <summary>
    /// Converts <c>DIGITS[.DIGITS]</c> (the only form fossil's <c>%.17g</c> writes for a time,
    /// and the only bare-number date we accept); null for anything else.
    /// </summary>
    public static double? Parse(ReadOnlySpan<char> text)
    {
        long significand = 0;
        int exponent = 0;   // the value is significand × 10^exponent
        int i = 0, digits = 0;
        for (; i < text.Length && char.IsAsciiDigit(text[i]); i++, digits++)
        {
            if (significand < (LargestInt64 - 9) / 10) significand = significand * 10 + (text[i] - '0');
            else exponent++;   // digits past what the integer holds only scale it
        }
        if (i < text.Length && text[i] == '.')
        {
            for (i++; i < text.Length && char.IsAsciiDigit(text[i]); i++, digits++)
            {
                if (significand < (LargestInt64 - 9) / 10)
                {
                    significand = significand * 10 + (text[i] - '0');
                    exponent--;
                }
            }
        }
        if (digits == 0 || i != text.Length) return null;
        if (significand == 0) return 0.0;

        // SQLite first trades powers of ten against the integer while that stays exact.
        while (exponent > 0 && significand < LargestInt64 / 10) { significand *= 10; exponent--; }
        while (exponent < 0 && significand % 10 == 0) { significand /= 10; exponent++; }
        if (exponent == 0) return significand;
        int magnitude = Math.Abs(exponent);
        if (magnitude > 307) return exponent < 0 ? 0.0 : double.PositiveInfinity;   // far beyond any time

        var scale = X87Extended.From(1L);
        while (magnitude % 22 != 0) { scale = scale.Times(1.0e1); magnitude--; }
        while (magnitude > 0) { scale = scale.Times(1.0e22); magnitude -= 22; }
        var value = X87Extended.From(significand);
        return (exponent < 0 ? value.DividedBy(scale) : value.Times(scale)).ToDouble();
    }
}
