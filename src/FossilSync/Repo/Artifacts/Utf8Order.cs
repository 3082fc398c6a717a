namespace FossilSync.Repo.Artifacts;

/// <summary>
/// Compares strings in UTF-8 byte order, which is code-point order: what C's <c>strcmp</c>
/// gives fossil. Ordinal UTF-16 comparison differs for characters above U+FFFF.
/// </summary>
internal static class Utf8Order
{
    /// <summary>Negative, zero or positive as <paramref name="a"/> sorts before, with or after <paramref name="b"/>.</summary>
    public static int Compare(string a, string b)
    {
        int i = a.AsSpan().CommonPrefixLength(b);
        if (i == a.Length || i == b.Length) return a.Length - b.Length;
        char x = a[i], y = b[i];
        // Surrogates (D800–DFFF) encode code points above FFFF, which sort after E000–FFFF.
        return x >= 0xD800 && y >= 0xD800 ? Fixup(x) - Fixup(y) : x - y;
    }

    private static int Fixup(char c) => c >= 0xE000 ? c - 0x800 : c + 0x2000;
}
