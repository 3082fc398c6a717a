using System.Text;

namespace FossilSync.Repo.Artifacts;

/// <summary>
/// Interns the file names and permissions of F cards. Consecutive manifests repeat nearly all of
/// them (a check-in changes a few of thousands of files), so a rebuild of a large repository
/// would otherwise allocate the same strings millions of times. One pool per thread, bounded.
/// </summary>
internal sealed class StringPool
{
    private const int MaxEntries = 200_000;
    private const int MaxLength = 512;

    [ThreadStatic]
    private static StringPool? _current;

    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    private StringPool() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>This thread's pool.</summary>
    public static StringPool Current => _current ??= new StringPool();

    /// <summary>The string for UTF-8 <paramref name="utf8"/>, shared with earlier calls.</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength) return Encoding.UTF8.GetString(utf8);
        Span<char> chars = stackalloc char[MaxLength];
        int length = Encoding.UTF8.GetChars(utf8, chars);
        var text = chars[..length];
        if (_lookup.TryGetValue(text, out string? known)) return known;
        if (_strings.Count >= MaxEntries) _strings.Clear();
        string created = new(text);
        _strings[created] = created;
        return created;
    }
}
