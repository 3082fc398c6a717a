namespace FossilSync.Repo.Artifacts;

/// <summary>fossil's rules for file names and wiki page names inside artifacts.</summary>
internal static class PathRules
{
    /// <summary>
    /// A relative path with no empty, <c>.</c> or <c>..</c> segment and no trailing slash
    /// (fossil's non-strict check: any bytes allowed otherwise).
    /// </summary>
    public static bool IsSimplePathNonStrict(string path)
    {
        if (path.Length == 0 || path[0] == '/') return false;
        int start = 0;
        while (true)
        {
            int slash = path.IndexOf('/', start);
            var segment = slash < 0 ? path.AsSpan(start) : path.AsSpan(start, slash - start);
            if (segment.IsEmpty || segment is "." or "..") return false;
            if (slash < 0) return true;
            start = slash + 1;
        }
    }

    /// <summary>
    /// fossil's strict rule for a name that becomes a path on someone's disk (unversioned files):
    /// a simple relative path as above, and also no backslash, no control character, and only
    /// characters of the Basic Multilingual Plane that are neither surrogates, private-use nor
    /// non-characters (nor U+FFFD, which is what undecodable bytes became).
    /// </summary>
    public static bool IsSimplePathStrict(string path)
    {
        if (!IsSimplePathNonStrict(path)) return false;
        foreach (char c in path)
        {
            if (c < ' ' || c == '\\' || c == '\x7f') return false;
            if (c is >= '\ud800' and <= '\udfff') return false;   // a pair is above U+FFFF
            if (c is >= '\ue000' and <= '\uf8ff' or >= '\ufdd0' and <= '\ufdef' or >= '\ufffd') return false;
        }
        return true;
    }

    /// <summary>A wiki page name: 1–100 bytes, no control characters, no leading, trailing or double spaces.</summary>
    public static bool IsWellFormedWikiName(string name)
    {
        int bytes = System.Text.Encoding.UTF8.GetByteCount(name);
        if (bytes is < 1 or > 100 || name[0] <= ' ' || name[^1] == ' ') return false;
        for (int i = 1; i < name.Length; i++)
        {
            if (name[i] < ' ' || (name[i] == ' ' && name[i - 1] == ' ')) return false;
        }
        return true;
    }

    /// <summary>
    /// Names of fossil's own check-out database, which leaked into some old manifests and which
    /// stock drops from F cards: <c>_FOSSIL_</c> or <c>.fslckout</c> as a whole name or after a
    /// slash, and — a quirk kept for fidelity — any name ending in them plus <c>-journal</c>,
    /// <c>-wal</c> or <c>-shm</c>. Case-insensitive.
    /// </summary>
    public static bool IsReservedName(string path)
    {
        // Every reserved name ends in '_', 't' (.fslckout), 'l' (-wal, -journal) or 'm' (-shm).
        if (path.Length < 8 || char.ToLowerInvariant(path[^1]) is not ('_' or 't' or 'l' or 'm')) return false;
        byte[] z = System.Text.Encoding.UTF8.GetBytes(path);
        int end = z.Length;
        if (end < 8) return false;
        bool suffixed = false;
        if (end >= 12)
        {
            if (z[end - 4] == '-')
            {
                if (!EqualsIgnoreCase(z, end - 3, "wal") && !EqualsIgnoreCase(z, end - 3, "shm")) return false;
                suffixed = true;
                end -= 4;
            }
            else if (end >= 16 && z[end - 8] == '-')
            {
                if (!EqualsIgnoreCase(z, end - 7, "journal")) return false;
                suffixed = true;
                end -= 8;
            }
        }
        switch (z[end - 1])
        {
            case (byte)'_':
                if (!EqualsIgnoreCase(z, end - 8, "_FOSSIL_")) return false;
                return end == 8 || z[end - 9] == '/' || suffixed;
            case (byte)'T' or (byte)'t':
                if (end < 9 || !EqualsIgnoreCase(z, end - 9, ".fslckout")) return false;
                return end == 9 || z[end - 10] == '/' || suffixed;
            default:
                return false;
        }
    }

    private static bool EqualsIgnoreCase(byte[] z, int at, string ascii)
    {
        for (int i = 0; i < ascii.Length; i++)
        {
            if (char.ToLowerInvariant((char)z[at + i]) != char.ToLowerInvariant(ascii[i])) return false;
        }
        return true;
    }

    /// <summary>The last path component.</summary>
    public static string Tail(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash < 0 ? path : path[(slash + 1)..];
    }
}
