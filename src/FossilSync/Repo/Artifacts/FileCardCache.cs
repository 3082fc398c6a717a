namespace FossilSync.Repo.Artifacts;

/// <summary>
/// F cards already parsed, by their exact text. A check-in's manifest repeats its parent's
/// lines for every file it did not touch, so parsing a run of manifests (a rebuild, a clone)
/// mostly finds each line here instead of splitting, unescaping and checking it again. The
/// cached result is the same as a fresh parse: only lines that carry a hash (whose meaning
/// does not depend on the rest of the manifest) are kept. One per <see cref="ParseSession"/>, bounded.
/// </summary>
/// <remarks>
/// Two levels. First the lines of the manifest parsed just before, in order: a rebuild parses
/// each check-in next to its parent or child, so the line at the cursor there is nearly always
/// the line at hand, and comparing the two is a sequential scan. Only the lines that differ
/// fall back to a table of the lines seen lately (a hash and a random memory access per line,
/// which for manifests of thousands of files cost more than everything else in parsing them).
/// That table lives as long as the parse session and is kept in two generations: when the newer
/// one is full the older is dropped and the newer takes its place, and a line found in the older
/// moves into the newer. Lines in use stay; the rest go a generation at a time. (A table of every
/// line, cleared when full, was most of a large rebuild's old generation.)
/// </remarks>
internal sealed class FileCardCache
{
    /// <summary>Lines per generation: several manifests of a few thousand files each.</summary>
    internal const int DefaultGenerationSize = 8_192;

    private readonly int _generationSize;
    private LineTable _newer = new();
    private LineTable _older = new();
    private ParsedLines _previous = new();
    private ParsedLines _parsing = new();
    // Next line of _previous expected to match, and whether the last line taken was the one
    // just before it there (then the two are known to be in order).
    private int _cursor;
    private bool _following;

    /// <summary>A cache keeping at most two generations of <paramref name="generationSize"/> lines.</summary>
    public FileCardCache(int generationSize = DefaultGenerationSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(generationSize);
        _generationSize = generationSize;
    }

    /// <summary>How many lines the table holds (both generations).</summary>
    internal int Count => _newer.Count + _older.Count;

    /// <summary>Starts a new artifact: the lines of the last one become the ones to follow.</summary>
    public void BeginArtifact()
    {
        if (_parsing.Count > 0) (_previous, _parsing) = (_parsing, _previous);
        _parsing.Clear();
        _cursor = 0;
        _following = false;
    }

    /// <summary>
    /// The parse of <paramref name="line"/>, if seen before. <paramref name="inOrder"/> is true
    /// when it is known to sort after the file taken just before it (it followed that one in the
    /// previous manifest, whose order was checked), so the caller may skip that check.
    /// </summary>
    public bool TryGet(ReadOnlySpan<byte> line, out ArtifactFile? file, out bool inOrder)
    {
        if (_cursor < _previous.Count && _previous.Line(_cursor).SequenceEqual(line))
        {
            file = _previous.File(_cursor++);
            inOrder = _following;
            _following = true;
            return true;
        }
        inOrder = false;
        _following = false;
        if (!_newer.Lookup.TryGetValue(line, out file))
        {
            if (!_older.Lookup.TryGetValue(line, out byte[]? key, out file)) return false;
            _older.Lines.Remove(key);
            Remember(key, file);
        }
        Resynchronise(file.Name);
        return true;
    }

    /// <summary>Remembers the parse of a valid line with a hash, one <see cref="TryGet"/> did not find.</summary>
    public void Add(ReadOnlySpan<byte> line, ArtifactFile file)
    {
        Remember(line.ToArray(), file);
        _following = false;
        Resynchronise(file.Name);
    }

    /// <summary>Notes that <paramref name="line"/> was accepted in order as this artifact's next F card.</summary>
    public void Accepted(ReadOnlySpan<byte> line, ArtifactFile file) => _parsing.Append(line, file);

    private void Remember(byte[] line, ArtifactFile file)
    {
        if (_newer.Count >= _generationSize)
        {
            (_older, _newer) = (_newer, _older);
            _newer.Lines.Clear();
        }
        _newer.Lines[line] = file;
    }

    // Moves the cursor past the previous manifest's lines that sort before name, and past name.
    private void Resynchronise(string name)
    {
        while (_cursor < _previous.Count && Utf8Order.Compare(_previous.File(_cursor).Name, name) < 0) _cursor++;
        if (_cursor < _previous.Count && _previous.File(_cursor).Name == name) _cursor++;
    }

    /// <summary>One generation of the line table.</summary>
    private sealed class LineTable
    {
        public LineTable() => Lookup = Lines.GetAlternateLookup<ReadOnlySpan<byte>>();

        public Dictionary<byte[], ArtifactFile> Lines { get; } = new(LineComparer.Instance);

        public Dictionary<byte[], ArtifactFile>.AlternateLookup<ReadOnlySpan<byte>> Lookup { get; }

        public int Count => Lines.Count;
    }

    /// <summary>An artifact's accepted F lines, copied end to end, with their parses.</summary>
    private sealed class ParsedLines
    {
        private byte[] _text = new byte[4096];
        private int[] _ends = new int[64];
        private ArtifactFile[] _files = new ArtifactFile[64];

        public int Count { get; private set; }

        public ReadOnlySpan<byte> Line(int index)
        {
            int start = index == 0 ? 0 : _ends[index - 1];
            return _text.AsSpan(start, _ends[index] - start);
        }

        public ArtifactFile File(int index) => _files[index];

        public void Append(ReadOnlySpan<byte> line, ArtifactFile file)
        {
            int start = Count == 0 ? 0 : _ends[Count - 1];
            if (start + line.Length > _text.Length) Array.Resize(ref _text, Math.Max(_text.Length * 2, start + line.Length));
            if (Count == _ends.Length)
            {
                Array.Resize(ref _ends, Count * 2);
                Array.Resize(ref _files, Count * 2);
            }
            line.CopyTo(_text.AsSpan(start));
            _ends[Count] = start + line.Length;
            _files[Count++] = file;
        }

        public void Clear()
        {
            Array.Clear(_files, 0, Count);
            Count = 0;
        }
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
