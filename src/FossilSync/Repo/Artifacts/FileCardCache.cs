namespace FossilSync.Repo.Artifacts;

/// <summary>
/// F cards already parsed, by their exact text. A check-in's manifest repeats its parent's
/// lines for every file it did not touch, so parsing a run of manifests (a rebuild, a clone)
/// mostly finds each line here instead of splitting, unescaping and checking it again. The
/// cached result is the same as a fresh parse: only lines that carry a hash (whose meaning
/// does not depend on the rest of the manifest) are kept. One cache per thread, bounded.
/// </summary>
internal sealed class FileCardCache
{
    private const int MaxEntries = 50_000;

    [ThreadStatic]
    private static FileCardCache? _current;

    private readonly Dictionary<byte[], ArtifactFile> _lines = new(LineComparer.Instance);
    private readonly Dictionary<byte[], ArtifactFile>.AlternateLookup<ReadOnlySpan<byte>> _lookup;

    private FileCardCache() => _lookup = _lines.GetAlternateLookup<ReadOnlySpan<byte>>();

    /// <summary>This thread's cache.</summary>
    public static FileCardCache Current => _current ??= new FileCardCache();

    /// <summary>The parse of <paramref name="line"/>, if seen before.</summary>
    public bool TryGet(ReadOnlySpan<byte> line, out ArtifactFile? file) => _lookup.TryGetValue(line, out file);

    /// <summary>Remembers the parse of a valid line with a hash.</summary>
    public void Add(ReadOnlySpan<byte> line, ArtifactFile file)
    {
        if (_lines.Count >= MaxEntries) _lines.Clear();
        _lookup[line] = file;
    }

    private sealed class LineComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly LineComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = new HashCode();
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
