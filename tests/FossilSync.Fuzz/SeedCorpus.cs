using System.Text;
using FossilSync.Primitives;
using FossilSync.Xfer;

namespace FossilSync.Fuzz;

/// <summary>
/// Starting inputs for each target: the real stock-to-stock wire captures, the payloads they
/// carry (manifests, clusters, files, deltas), and a few generated deltas and artifacts of the
/// kinds the captures lack.
/// </summary>
internal sealed class SeedCorpus
{
    private readonly List<byte[]> _plainBodies = [];
    private readonly List<byte[]> _compressedBodies = [];
    private readonly Dictionary<string, byte[]> _fullTexts = new(StringComparer.Ordinal);
    private readonly List<(string Source, byte[] Delta)> _deltas = [];

    private SeedCorpus() { }

    /// <summary>The captures folder copied beside the harness.</summary>
    public static string DefaultCapturesDirectory => Path.Combine(AppContext.BaseDirectory, "captures");

    /// <summary>Reads every NN-*.txt and NN-*.wire under <paramref name="capturesDirectory"/>.</summary>
    public static SeedCorpus FromCaptures(string capturesDirectory)
    {
        var corpus = new SeedCorpus();
        foreach (string file in Directory.GetFiles(capturesDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (!file.EndsWith(".txt", StringComparison.Ordinal) && !file.EndsWith(".wire", StringComparison.Ordinal)) continue;
            if (SplitHttp(File.ReadAllBytes(file)) is not var (header, body) || body.Length == 0) continue;
            bool compressed = file.EndsWith(".wire", StringComparison.Ordinal) && header.Contains("Content-Type: application/x-fossil\r\n", StringComparison.OrdinalIgnoreCase);
            (compressed ? corpus._compressedBodies : corpus._plainBodies).Add(body);
            if (!compressed) corpus.CollectPayloads(body);
        }
        if (corpus._plainBodies.Count == 0) throw new InvalidOperationException($"no captures under {capturesDirectory}");
        return corpus;
    }

    /// <summary>Seeds for a target, by its name.</summary>
    public IReadOnlyList<byte[]> For(string target) => target switch
    {
        FuzzTargets.CardCodec => CardCodecSeeds(),
        FuzzTargets.Delta => DeltaSeeds(),
        FuzzTargets.Artifact => ArtifactSeeds(),
        _ => throw new ArgumentException($"unknown target {target}", nameof(target)),
    };

    private List<byte[]> CardCodecSeeds()
    {
        var seeds = new List<byte[]>();
        foreach (byte[] body in _plainBodies)
        {
            seeds.Add([0, .. body]);
            seeds.Add([2, .. body]);
        }
        foreach (byte[] body in _compressedBodies)
        {
            seeds.Add([1, .. body]);
            seeds.Add([3, .. body]);
        }
        return Distinct(seeds);
    }

    private List<byte[]> DeltaSeeds()
    {
        var seeds = new List<byte[]>();
        // Real deltas from the captures whose source the captures also carry.
        foreach (var (source, delta) in _deltas)
        {
            if (_fullTexts.TryGetValue(source, out byte[]? text) && text.Length <= ushort.MaxValue) seeds.Add(DeltaTarget.Compose(text, delta));
        }
        // Generated: each small text against an edited copy of itself, and against nothing.
        foreach (byte[] text in _fullTexts.Values.Where(t => t.Length is > 0 and <= 16 * 1024).Take(24))
        {
            byte[] edited = Edit(text);
            seeds.Add(DeltaTarget.Compose(text, FossilDelta.Create(text, edited)));
            seeds.Add(DeltaTarget.Compose([], FossilDelta.Create([], text)));
        }
        seeds.Add(DeltaTarget.Compose("abc"u8, FossilDelta.Create("abc"u8, "abcabcabc"u8)));
        seeds.Add(DeltaTarget.Compose([], FossilDelta.Create([], [])));
        return Distinct(seeds);
    }

    private List<byte[]> ArtifactSeeds()
    {
        var seeds = new List<byte[]>();
        foreach (byte[] text in _fullTexts.Values)
        {
            if (FossilSync.Repo.Artifacts.ArtifactParser.Parse(text) is not null) seeds.Add(text);
        }
        seeds.AddRange(GeneratedArtifacts.All());
        return Distinct(seeds);
    }

    // Full-text file and cfile payloads by hash; deltas with their source's hash.
    private void CollectPayloads(byte[] body)
    {
        XferMessage message;
        try
        {
            message = XferMessage.Decode(body);
        }
        catch (XferFormatException)
        {
            return;
        }
        foreach (var card in message.Cards)
        {
            (string Hash, string? Source, byte[] Bytes)? payload = card switch
            {
                FileCard f => (f.Hash, f.DeltaSource, f.Content.ToArray()),
                CFileCard c => (c.Hash, c.DeltaSource, BlobCompression.Decompress(c.Payload)),
                _ => null,
            };
            if (payload is not var (hash, source, bytes)) continue;
            if (source is null) _fullTexts.TryAdd(hash, bytes);
            else _deltas.Add((source, bytes));
        }
    }

    private static (string Header, byte[] Body)? SplitHttp(byte[] bytes)
    {
        int end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        return end < 0 ? null : (Encoding.Latin1.GetString(bytes, 0, end + 2), bytes[(end + 4)..]);
    }

    // A copy with a line dropped and a line added, as a small check-in would make.
    private static byte[] Edit(byte[] text)
    {
        var lines = Encoding.Latin1.GetString(text).Split('\n').ToList();
        if (lines.Count > 2) lines.RemoveAt(lines.Count / 2);
        lines.Insert(Math.Min(1, lines.Count), "a line the next check-in added");
        return Encoding.Latin1.GetBytes(string.Join('\n', lines));
    }

    private static List<byte[]> Distinct(List<byte[]> seeds) =>
        seeds.DistinctBy(Convert.ToBase64String).ToList();
}
