namespace FossilSync.AspNetCore;

/// <summary>
/// Which request paths may name a repository in a folder: stock <c>fossil server DIR</c>'s rules
/// (its <c>process_one_web_page</c>), so a URL that works against stock works here and one stock
/// refuses is refused here too.
/// </summary>
internal static class RepositoryNameRules
{
    /// <summary>
    /// True when <paramref name="segment"/> (one segment of a decoded path) may be part of a
    /// repository's name: ASCII letters and digits, <c>_</c>, <c>-</c> and <c>.</c>, and
    /// letters or digits beyond ASCII (stock admits every non-ASCII byte; we keep to letters and
    /// digits so no look-alike of a dot or a slash gets through); no <c>-</c> first, no <c>.</c>
    /// first, last or beside another <c>.</c> (so no hidden files, <c>.</c> or <c>..</c>).
    /// </summary>
    public static bool IsAllowedSegment(ReadOnlySpan<char> segment)
    {
        if (segment.IsEmpty || segment[0] == '-' || segment[0] == '.' || segment[^1] == '.') return false;
        for (int i = 0; i < segment.Length; i++)
        {
            char c = segment[i];
            if (char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-') continue;
            if (c == '.' && segment[i + 1] != '.') continue;
            if (c > 0x7F && char.IsLetterOrDigit(c)) continue;
            return false;
        }
        return true;
    }

    /// <summary>
    /// True when the request target as the client sent it (before the server decoded it and
    /// removed dot segments) holds no <c>.</c> or <c>..</c> segment, no encoded slash and no
    /// backslash: stock answers such a path with 404, and so do we, even where the host's
    /// normalized path would look harmless.
    /// </summary>
    public static bool IsPlainTarget(string rawTarget)
    {
        int query = rawTarget.IndexOfAny(['?', '#']);
        string path = Uri.UnescapeDataString(query < 0 ? rawTarget : rawTarget[..query]);
        if (path.Contains('\\')) return false;
        foreach (var segment in path.AsSpan().Split('/'))
        {
            var text = path.AsSpan()[segment];
            if (text is "." or "..") return false;
        }
        // Decoded, an encoded slash is a separator like any other: only the raw text shows it.
        return !rawTarget.Contains("%2f", StringComparison.OrdinalIgnoreCase);
    }
}
