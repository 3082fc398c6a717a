namespace FossilSync.Xfer;

/// <summary>
/// Splits a card line into tokens as stock fossil does: runs of non-whitespace, where
/// whitespace is space, tab, LF, VT, FF and CR; only the first six tokens count.
/// </summary>
internal static class CardTokenizer
{
    /// <summary>Most tokens a card line can have; stock silently drops the rest.</summary>
    public const int MaxTokens = 6;

    /// <summary>Stock's whitespace set.</summary>
    public static readonly char[] WhitespaceChars = [' ', '\t', '\n', '\v', '\f', '\r'];

    public static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or 0x0B or 0x0C or (byte)'\r';

    /// <summary>Fills <paramref name="tokens"/> with (start, length) ranges; returns how many.</summary>
    public static int Split(ReadOnlySpan<byte> line, Span<Range> tokens)
    {
        int count = 0, i = 0;
        while (count < MaxTokens)
        {
            while (i < line.Length && IsWhitespace(line[i])) i++;
            if (i >= line.Length) break;
            int start = i;
            while (i < line.Length && !IsWhitespace(line[i])) i++;
            tokens[count++] = start..i;
        }
        return count;
    }
}
