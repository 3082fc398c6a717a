using System.Text;

namespace FossilSync.EndToEnd.Generation;

/// <summary>
/// Writes a deterministic git fast-import stream for a <see cref="HistoryProfile"/>: source-like
/// text files in nested folders edited a few hunks at a time, a few binary files, additions and
/// deletions, feature branches merged back into trunk, and annotated tags; with
/// <see cref="HistoryProfile.Extras"/>, a few very large generated sources too (an amalgamation),
/// each edit of which touches many places of one of them. The first
/// <see cref="HistoryProfile.Commits"/> check-ins go to one stream and the
/// <see cref="HistoryProfile.ExtraCommits"/> after them to another, so the second can be
/// imported incrementally on top of the first.
/// </summary>
internal sealed class HistoryStream
{
    private static readonly string[] Words =
    [
        "value", "count", "index", "buffer", "result", "node", "item", "state", "config", "entry",
        "offset", "length", "name", "handle", "cache", "limit", "parent", "child", "token", "frame",
        "query", "table", "record", "stream", "queue", "event", "signal", "budget", "cursor", "delta",
    ];

    private static readonly string[] Folders = ["src", "lib", "tools", "docs", "tests", "www"];
    private static readonly string[] Extensions = [".c", ".h", ".cs", ".md", ".txt", ".tcl"];
    private static readonly string[] Authors = ["alice", "bob", "carol", "dave", "erin", "frank"];
    private static readonly string[] Verbs = ["Fix", "Add", "Refactor", "Speed up", "Document", "Simplify", "Test"];
    private static readonly string[] LargePaths = ["extsrc/sqlite3.c", "extsrc/shell.c", "extsrc/sqlite3.h", "extsrc/pikchr.c"];

    private readonly HistoryProfile _profile;
    private readonly Random _random;
    private readonly string[] _paths;
    private readonly Dictionary<string, Branch> _branches = [];
    private Stream _output = Stream.Null;
    private int _mark;
    private long _time = 1_600_000_000;
    private int _branchCount;
    private int _tagCount;

    public HistoryStream(HistoryProfile profile, int seed)
    {
        _profile = profile;
        _random = new Random(seed);
        _paths = MakePaths(profile.Files, new Random(seed ^ 0x5eed));
        _branches["trunk"] = new Branch("trunk", new Dictionary<string, FileVersion>(StringComparer.Ordinal));
    }

    /// <summary>Writes the base history to <paramref name="base"/> and the extra check-ins to <paramref name="extra"/>.</summary>
    public void Write(Stream @base, Stream extra)
    {
        int total = _profile.Commits + _profile.ExtraCommits;
        for (int i = 0; i < total; i++)
        {
            _output = i < _profile.Commits ? @base : extra;
            WriteCommit(i);
        }
        _output = Stream.Null;
    }

    private void WriteCommit(int i)
    {
        var trunk = _branches["trunk"];
        Branch? feature = _branches.Values.FirstOrDefault(b => b.Name != "trunk");
        if (i > 0 && i % _profile.BranchEvery == _profile.BranchEvery / 2 && feature is null)
        {
            _branchCount++;
            feature = new Branch($"feature-{_branchCount}", new Dictionary<string, FileVersion>(trunk.Files, StringComparer.Ordinal))
            {
                ForkedFrom = trunk.Head,
                Started = i,
            };
            _branches[feature.Name] = feature;
        }
        if (feature is not null && i - feature.Started >= _profile.BranchLength)
        {
            MergeIntoTrunk(feature);
            _branches.Remove(feature.Name);
            return;
        }

        Branch branch = feature is not null && _random.Next(3) == 0 ? feature : trunk;
        var changes = new List<string>();
        if (i == 0)
        {
            for (int f = 0; f < _profile.Files * 3 / 10; f++) changes.Add(AddText(branch, _paths[f]));
            if (_profile.Extras is { } extras)
            {
                for (int k = 0; k < extras.LargeFileBytes.Length; k++) changes.Add(AddLarge(branch, k));
            }
        }
        else
        {
            int count = 1 + _random.Next(_profile.MaxChangesPerCommit);
            var touched = new HashSet<string>(StringComparer.Ordinal);
            for (int c = 0; c < count; c++)
            {
                string path = PickPath();
                if (touched.Add(path)) changes.Add(Change(branch, path));
            }
            if (_random.Next(20) == 0)
            {
                string binary = $"assets/images/picture{_random.Next(_profile.BinaryFiles)}.bin";
                if (touched.Add(binary)) changes.Add(ChangeBinary(branch, binary));
            }
            if (_profile.Extras is { } extras && _random.Next(extras.LargeEditEvery) == 0)
            {
                // The amalgamation is regenerated most often, the smaller generated files less.
                int pick = _random.Next(10);
                int k = Math.Min(pick < 6 ? 0 : pick < 8 ? 1 : 2, extras.LargeFileBytes.Length - 1);
                if (touched.Add(LargePaths[k])) changes.Add(ChangeLarge(branch, k));
            }
        }
        string message = $"{Verbs[_random.Next(Verbs.Length)]} {Word()} handling in {Path.GetFileName(changes[0].Split(' ')[^1])}\n"
            + (_random.Next(3) == 0 ? $"\nThe {Word()} was not reset after a {Word()} changed its {Word()}.\n" : "");
        WriteCommitHeader(branch, message);
        foreach (string change in changes) WriteText(change + "\n");
        WriteText("\n");
        branch.Head = _mark;

        if (branch == trunk && i % _profile.TagEvery == _profile.TagEvery - 1) WriteTag(branch.Head);
    }

    private void MergeIntoTrunk(Branch feature)
    {
        var trunk = _branches["trunk"];
        var changes = new List<string>();
        foreach (var (path, version) in feature.Files.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (trunk.Files.TryGetValue(path, out var mine) && ReferenceEquals(mine, version)) continue;
            trunk.Files[path] = version;
            changes.Add($"M 100644 :{Blob(version.Bytes())} {path}");
        }
        foreach (string path in trunk.Files.Keys.Where(p => !feature.Files.ContainsKey(p)).OrderBy(p => p, StringComparer.Ordinal).ToList())
        {
            // Deleted on the branch after it forked: the merge deletes it on trunk too.
            if (feature.Deleted.Contains(path))
            {
                trunk.Files.Remove(path);
                changes.Add($"D {path}");
            }
        }
        WriteCommitHeader(trunk, $"Merge {feature.Name} into trunk\n", merge: feature.Head);
        foreach (string change in changes) WriteText(change + "\n");
        WriteText("\n");
        trunk.Head = _mark;
    }

    private void WriteCommitHeader(Branch branch, string message, int? merge = null)
    {
        _time += _random.Next(60, 20_000);
        _mark++;
        string author = Authors[_random.Next(Authors.Length)];
        WriteText($"commit refs/heads/{branch.Name}\nmark :{_mark}\n");
        WriteText($"author {author} <{author}@example.com> {_time} +0000\ncommitter {author} <{author}@example.com> {_time} +0000\n");
        WriteData(Encoding.ASCII.GetBytes(message));
        if (branch.Head is { } head) WriteText($"from :{head}\n");
        else if (branch.ForkedFrom is { } fork) WriteText($"from :{fork}\n");
        if (merge is { } m) WriteText($"merge :{m}\n");
    }

    private void WriteTag(int? commit)
    {
        if (commit is null) return;
        _tagCount++;
        string message = $"Release {_tagCount / 10}.{_tagCount % 10}\n";
        WriteText($"tag release-{_tagCount / 10}.{_tagCount % 10}\nfrom :{commit}\ntagger release <release@example.com> {_time + 1} +0000\n");
        WriteData(Encoding.ASCII.GetBytes(message));
    }

    private string Change(Branch branch, string path)
    {
        if (!branch.Files.TryGetValue(path, out var version)) return AddText(branch, path);
        if (branch.Files.Count > 20 && _random.Next(60) == 0)
        {
            branch.Files.Remove(path);
            branch.Deleted.Add(path);
            return $"D {path}";
        }
        var lines = version.Lines!.ToList();
        for (int hunk = _random.Next(1, 4); hunk > 0; hunk--) EditHunk(lines);
        return Put(branch, path, new FileVersion([.. lines], null));
    }

    private void EditHunk(List<string> lines)
    {
        int at = _random.Next(lines.Count + 1);
        int op = _random.Next(10);
        if (lines.Count > 1200) op = 9;
        if (op < 5)
        {
            for (int k = _random.Next(1, 7); k > 0 && at < lines.Count; k--, at++) lines[at] = Line();
        }
        else if (op < 8 || lines.Count < 20)
        {
            lines.InsertRange(at, Enumerable.Range(0, _random.Next(1, 13)).Select(_ => Line()));
        }
        else
        {
            int count = Math.Min(lines.Count > 1200 ? 60 : _random.Next(1, 5), lines.Count - at);
            lines.RemoveRange(at, count);
        }
    }

    private string AddText(Branch branch, string path)
    {
        var lines = Enumerable.Range(0, _random.Next(20, 400)).Select(_ => Line()).ToArray();
        return Put(branch, path, new FileVersion(lines, null));
    }

    private string AddLarge(Branch branch, int k)
    {
        int bytes = _profile.Extras!.LargeFileBytes[k];
        var lines = new List<string>();
        for (int size = 0; size < bytes;)
        {
            string line = Line();
            lines.Add(line);
            size += line.Length + 1;
        }
        return Put(branch, LargePaths[k], new FileVersion([.. lines], null));
    }

    /// <summary>
    /// A regenerated amalgamation: several to a few dozen hunks all over the file, deletions
    /// winning while it is larger than its profile size, so it neither grows nor shrinks for good.
    /// </summary>
    private string ChangeLarge(Branch branch, int k)
    {
        if (!branch.Files.TryGetValue(LargePaths[k], out var version)) return AddLarge(branch, k);
        int targetBytes = _profile.Extras!.LargeFileBytes[k];
        var lines = version.Lines!.ToList();
        long bytes = lines.Sum(l => (long)l.Length + 1);
        for (int hunk = _random.Next(3, 30); hunk > 0; hunk--)
        {
            int at = _random.Next(lines.Count);
            int op = _random.Next(10);
            if (op < 5)
            {
                for (int n = _random.Next(1, 9); n > 0 && at < lines.Count; n--, at++)
                {
                    bytes -= lines[at].Length;
                    lines[at] = Line();
                    bytes += lines[at].Length;
                }
            }
            else if (op < 8 && bytes < targetBytes)
            {
                var added = Enumerable.Range(0, _random.Next(1, 21)).Select(_ => Line()).ToList();
                lines.InsertRange(at, added);
                bytes += added.Sum(l => l.Length + 1);
            }
            else
            {
                int count = Math.Min(_random.Next(1, 21), lines.Count - at);
                for (int n = 0; n < count; n++) bytes -= lines[at + n].Length + 1;
                lines.RemoveRange(at, count);
            }
        }
        return Put(branch, LargePaths[k], new FileVersion([.. lines], null));
    }

    private string ChangeBinary(Branch branch, string path)
    {
        byte[] data;
        if (branch.Files.TryGetValue(path, out var version))
        {
            // An edited binary keeps most of its bytes: one region is rewritten.
            data = (byte[])version.Binary!.Clone();
            int start = _random.Next(data.Length);
            _random.NextBytes(data.AsSpan(start, Math.Min(data.Length - start, _random.Next(200, 4000))));
        }
        else
        {
            data = new byte[_random.Next(2_000, 60_000)];
            _random.NextBytes(data);
        }
        return Put(branch, path, new FileVersion(null, data));
    }

    private string Put(Branch branch, string path, FileVersion version)
    {
        branch.Files[path] = version;
        branch.Deleted.Remove(path);
        return $"M 100644 :{Blob(version.Bytes())} {path}";
    }

    private int Blob(byte[] data)
    {
        _mark++;
        WriteText($"blob\nmark :{_mark}\n");
        WriteData(data);
        return _mark;
    }

    /// <summary>A file index skewed towards the start: a few files change often, most rarely.</summary>
    private string PickPath()
    {
        double u = _random.NextDouble();
        return _paths[(int)(_paths.Length * u * u)];
    }

    private string Word() => Words[_random.Next(Words.Length)];

    private string Line() => _random.Next(9) switch
    {
        0 => "",
        1 => $"    /* {Word()} the {Word()} before the {Word()} */",
        2 => $"    if( {Word()}>{_random.Next(100)} ) return {Word()};",
        3 => $"    {Word()}_{Word()}({Word()}, {_random.Next(1000)});",
        4 => "}",
        5 => $"static int {Word()}_{Word()}(int {Word()}, const char *z{Word()}){{",
        6 => $"    {Word()} = {Word()} + {_random.Next(64)};",
        7 => $"  for(i=0; i<n{Word()}; i++) {Word()}[i] = 0;",
        _ => $"        {Word()}[{_random.Next(16)}] = {Word()}({Word()});",
    };

    private void WriteData(byte[] data)
    {
        WriteText($"data {data.Length}\n");
        _output.Write(data);
        WriteText("\n");
    }

    private void WriteText(string text) => _output.Write(Encoding.ASCII.GetBytes(text));

    private static string[] MakePaths(int count, Random random)
    {
        var paths = new string[count];
        for (int i = 0; i < count; i++)
        {
            var parts = new List<string> { Folders[random.Next(Folders.Length)] };
            for (int depth = random.Next(1, 4); depth > 0; depth--) parts.Add(Words[random.Next(Words.Length)] + random.Next(4));
            parts.Add($"{Words[random.Next(Words.Length)]}_{i}{Extensions[random.Next(Extensions.Length)]}");
            paths[i] = string.Join('/', parts);
        }
        return paths;
    }

    /// <summary>One branch's head check-in (a fast-import mark) and file versions.</summary>
    private sealed class Branch(string name, Dictionary<string, FileVersion> files)
    {
        public string Name { get; } = name;
        public Dictionary<string, FileVersion> Files { get; } = files;
        public HashSet<string> Deleted { get; } = new(StringComparer.Ordinal);
        public int? Head { get; set; }
        public int? ForkedFrom { get; init; }
        public int Started { get; init; }
    }

    /// <summary>An immutable file version: text lines or binary bytes.</summary>
    private sealed record FileVersion(string[]? Lines, byte[]? Binary)
    {
        public byte[] Bytes() => Binary ?? Encoding.ASCII.GetBytes(string.Join('\n', Lines!) + "\n");
    }
}
