using System.Text;

namespace FossilSync.Repo.Artifacts;

/// <summary>
/// Interns the file names and permissions of F cards. Consecutive manifests repeat nearly all of
/// them (a check-in changes a few of thousands of files), so a rebuild of a large repository
/// would otherwise allocate the same strings millions of times. One per <see cref="ParseSession"/>, bounded.
/// </summary>
internal sealed class StringPool
{
    private const int MaxEntries = 200_000;
    private const int MaxLength = 512;

    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public StringPool() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

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
