using System.Text;

namespace FossilSync.Repo.Crosslink;

/// <summary>The bits of fossil's printf that generated event comments use.</summary>
internal static class FossilText
{
    /// <summary>fossil's <c>%h</c>: escapes <c>&lt; &gt; &amp; " '</c> for HTML.</summary>
    public static string Html(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            sb.Append(c switch
            {
                '<' => "&lt;",
                '>' => "&gt;",
                '&' => "&amp;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }

    /// <summary>fossil's <c>%S</c>: a hash cut to the human display length (config <c>hash-digits</c>, default 10).</summary>
    public static string Short(string? hash, int digits) => hash is null ? "" : hash.Length <= digits ? hash : hash[..digits];
}

/// <summary>
/// Doubles as they come out of fossil's SQL text. Where fossil writes a value into SQL with
/// <c>%.17g</c>, its own printf produces the digits (at most 16 significant ones, by repeated
/// multiplication), so the stored REAL is usually not the value itself but a neighbour a few
/// ulps away. Values fossil binds as parameters are stored exactly.
/// </summary>
/// <remarks>
/// This replays fossil's digit loop in double arithmetic. Against stock fossil 2.21 (Debian
/// build) it reproduces most values bit for bit; some still differ in the last ulp, apparently
/// because the binary's arithmetic is not plain double. See the crosslink tests.
/// </remarks>
internal static class FossilReal
{
    private const int SignificantDigits = 16;

    /// <summary>The double stock stores for <paramref name="value"/> written with <c>%.17g</c>.</summary>
    public static double Printed(double value)
    {
        if (!(value >= 1.0 && value < 1e16)) return value;
        double v = value;
        double rounder = 0.5;
        for (int i = 0; i < SignificantDigits; i++) rounder *= 0.1;
        int exp = 0;
        while (v >= 1e8) { v *= 1e-8; exp += 8; }
        while (v >= 10.0) { v *= 0.1; exp++; }
        v += rounder;
        if (v >= 10.0) { v *= 0.1; exp++; }
        int fractionDigits = SignificantDigits - exp;
        var text = new System.Text.StringBuilder(24);
        int count = 0;
        for (int e = exp; e >= 0; e--) text.Append(Digit(ref v, ref count));
        text.Append('.');
        for (int i = 0; i < fractionDigits; i++) text.Append(Digit(ref v, ref count));
        return double.Parse(text.ToString(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static char Digit(ref double v, ref int count)
    {
        if (count++ >= SignificantDigits) return '0';
        int digit = (int)v;
        v = (v - digit) * 10.0;
        return (char)('0' + digit);
    }
}
