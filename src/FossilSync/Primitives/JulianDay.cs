namespace FossilSync.Primitives;

/// <summary>
/// Converts date-time text to a Julian day number exactly as SQLite's <c>julianday()</c>
/// does, because stock fossil stores <c>julianday(D-card)</c> in <c>event.mtime</c> and
/// <c>plink.mtime</c>, and our crosslinked rows must equal its rows to the last bit.
/// </summary>
internal static class JulianDay
{
    private const double MsPerDay = 86400000.0;

    /// <summary>
    /// Parses <c>YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][Z]</c> or a bare Julian day number.
    /// Returns null for anything SQLite would reject (and for <c>now</c>, which no artifact
    /// may depend on).
    /// </summary>
    public static double? Parse(ReadOnlySpan<char> text)
    {
        long? ms = ParseDate(text) ?? ParseNumber(text);
        return ms is null ? null : ms.Value / MsPerDay;
    }

    /// <summary>
    /// The value a time has after fossil writes it into SQL as text with its own <c>%.17g</c>
    /// (see <see cref="FossilPrintf"/>). Fossil stores plink and event times this way (tagxref
    /// times it binds exactly), so crosslinked rows must go through the same text, and back
    /// through its SQLite's parsing (<see cref="SqlTextToReal"/>).
    /// </summary>
    /// <remarks>The exact formatting is slow (extended precision in software): a crosslink asks through <see cref="RecentJulianDays"/>.</remarks>
    public static double ThroughSqlText(double julianDay) =>
        julianDay > 0 && double.IsFinite(julianDay)
            ? SqlTextToReal.Parse(FossilPrintf.FormatG17(julianDay))!.Value
            : julianDay;

    /// <summary>Formats a Julian day as fossil writes D cards: <c>YYYY-MM-DDTHH:MM:SS.fff</c>.</summary>
    public static string Format(double julianDay)
    {
        long ms = (long)(julianDay * MsPerDay + 0.5);
        // Julian day 2440587.5 is 1970-01-01T00:00:00Z.
        var time = DateTime.UnixEpoch.AddMilliseconds(ms - (long)(2440587.5 * MsPerDay));
        return time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The Julian day of a UTC instant, as SQLite computes it.</summary>
    public static double FromDateTime(DateTime utc)
    {
        long ms = (long)(2440587.5 * MsPerDay) + (long)(utc - DateTime.UnixEpoch).TotalMilliseconds;
        return ms / MsPerDay;
    }

    private static long? ParseDate(ReadOnlySpan<char> s)
    {
        int i = 0;
        if (!Digits(s, ref i, 4, out int year) || !Expect(s, ref i, '-')
            || !Digits(s, ref i, 2, out int month) || !Expect(s, ref i, '-')
            || !Digits(s, ref i, 2, out int day))
        {
            return null;
        }
        if (month is < 1 or > 12 || day is < 1 or > 31) return null;
        while (i < s.Length && (s[i] == 'T' || char.IsWhiteSpace(s[i]))) i++;

        bool hasTime = false;
        int hour = 0, minute = 0;
        double seconds = 0;
        if (i < s.Length)
        {
            if (!Digits(s, ref i, 2, out hour) || !Expect(s, ref i, ':') || !Digits(s, ref i, 2, out minute)) return null;
            if (hour > 24 || minute > 59) return null;
            if (i < s.Length && s[i] == ':')
            {
                i++;
                if (!Digits(s, ref i, 2, out int whole) || whole > 59) return null;
                seconds = whole;
                if (i + 1 < s.Length && s[i] == '.' && char.IsAsciiDigit(s[i + 1]))
                {
                    i++;
                    double fraction = 0, scale = 1;
                    while (i < s.Length && char.IsAsciiDigit(s[i]))
                    {
                        fraction = fraction * 10 + (s[i] - '0');
                        scale *= 10;
                        i++;
                    }
                    seconds += fraction / scale;
                }
            }
            hasTime = true;
            while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
            if (i < s.Length && (s[i] == 'Z' || s[i] == 'z')) i++;
            while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
            if (i != s.Length) return null;
        }

        // SQLite's computeJD, integer steps and all, so the doubles come out identical.
        int y = year, m = month;
        if (m <= 2) { y--; m += 12; }
        int a = y / 100;
        int b = 2 - a + a / 4;
        int x1 = 36525 * (y + 4716) / 100;
        int x2 = 306001 * (m + 1) / 10000;
        long jd = (long)((x1 + x2 + day + b - 1524.5) * MsPerDay);
        if (hasTime) jd += hour * 3600000L + minute * 60000L + (long)(seconds * 1000 + 0.5);
        return jd;
    }

    /// <summary>A bare Julian day number: SQLite takes it only below the year 9999's end.</summary>
    private static long? ParseNumber(ReadOnlySpan<char> s)
    {
        double? r = SqlTextToReal.Parse(s);
        if (r is not (>= 0.0 and < 5373484.5)) return null;
        return (long)(r.Value * MsPerDay + 0.5);
    }

    private static bool Digits(ReadOnlySpan<char> s, ref int i, int count, out int value)
    {
        value = 0;
        if (i + count > s.Length) return false;
        for (int k = 0; k < count; k++)
        {
            char c = s[i + k];
            if (!char.IsAsciiDigit(c)) return false;
            value = value * 10 + (c - '0');
        }
        i += count;
        return true;
    }

    private static bool Expect(ReadOnlySpan<char> s, ref int i, char c)
    {
        if (i >= s.Length || s[i] != c) return false;
        i++;
        return true;
    }
}
