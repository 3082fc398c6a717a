using System.Text;

namespace FossilSync.Primitives;

/// <summary>
/// Fossil's own <c>%.17g</c>, digit for digit. Fossil writes check-in times into SQL as text
/// with it, so the doubles stock stores are "the value after this printf": our crosslinked rows
/// must go through the same text to equal them bit for bit.
/// </summary>
/// <remarks>
/// Fossil's printf (src/printf.c) keeps at most 16 significant digits and computes them in C's
/// <c>long double</c>, the x87 80-bit format on the platforms stock runs on: it scales by the
/// double constant 0.1 (a little more than a tenth), adds a rounding term, and peels digits off.
/// Those steps are emulated here exactly, each result rounded to a 64-bit significand (round
/// half to even), as the FPU does. Positive finite values only: fossil's times.
/// </remarks>
internal static class FossilPrintf
{
    /// <summary>Formats <paramref name="value"/> as fossil's <c>%.17g</c>.</summary>
    public static string FormatG17(double value)
    {
        if (!(value > 0) || double.IsInfinity(value)) throw new ArgumentOutOfRangeException(nameof(value), "only positive finite values are supported");
        int precision = 17 - 1;                       // %g counts the leading digit
        double rounder = 0.5;                         // computed in plain double, as in C
        for (int i = precision; i > 0; i--) rounder *= 0.1;

        var real = X87Extended.From(value);
        int exp = 0;
        while (real.CompareTo(1e32) >= 0 && exp <= 350) { real = real.Times(1e-32); exp += 32; }
        while (real.CompareTo(1e8) >= 0 && exp <= 350) { real = real.Times(1e-8); exp += 8; }
        while (real.CompareTo(10.0) >= 0 && exp <= 350) { real = real.Times(0.1); exp++; }
        while (real.CompareTo(1e-8) < 0 && exp >= -350) { real = real.Times(1e8); exp -= 8; }
        while (real.CompareTo(1.0) < 0 && exp >= -350) { real = real.Times(10.0); exp--; }
        real = real.Plus(rounder);
        if (real.CompareTo(10.0) >= 0) { real = real.Times(0.1); exp++; }

        var text = new StringBuilder(32);
        int significant = 0;
        char NextDigit()
        {
            if (significant++ >= 16) return '0';
            int digit = real.Truncate();
            real = real.Minus(digit).Times(10.0);
            return (char)('0' + digit);
        }

        if (exp < -4 || exp > precision)
        {
            // Exponent form: never reached by Julian-day times, kept for completeness.
            text.Append(NextDigit()).Append('.');
            for (int i = 0; i < precision; i++) text.Append(NextDigit());
            TrimZeros(text);
            text.Append('e').Append(exp < 0 ? '-' : '+').Append(Math.Abs(exp).ToString("00", System.Globalization.CultureInfo.InvariantCulture));
            return text.ToString();
        }
        precision -= exp;
        if (exp < 0) text.Append('0');
        else for (int e = exp; e >= 0; e--) text.Append(NextDigit());
        if (precision > 0) text.Append('.');
        for (int e = exp + 1; e < 0 && precision > 0; precision--, e++) text.Append('0');
        while (precision-- > 0) text.Append(NextDigit());
        TrimZeros(text);
        return text.ToString();
    }

    private static void TrimZeros(StringBuilder text)
    {
        int dot = text.ToString().IndexOf('.');
        if (dot < 0) return;
        while (text[^1] == '0') text.Length--;
        if (text[^1] == '.') text.Length--;
    }
}
