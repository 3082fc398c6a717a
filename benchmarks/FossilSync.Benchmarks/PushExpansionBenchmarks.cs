using System.Text;
using BenchmarkDotNet.Attributes;
using FossilSync.Primitives;
using FossilSync.Repo;

namespace FossilSync.Benchmarks;

/// <summary>
/// A push's hot spot: each version of a 1 MB file, stored as a check-in leaves them (the newest
/// whole, each older one a delta of the next), expanded newest first together with the version
/// before it, and a delta made against that one, as <c>ArtifactSender</c> and
/// <c>ParentDelta</c> do. Through <see cref="ContentStore.Get"/> and its cache raised as a push
/// raises it, or through an <see cref="ExpansionWindow"/>; both hold a third of the versions.
/// </summary>
[MemoryDiagnoser]
public class PushExpansionBenchmarks
{
    private const int Versions = 48;
    private const long WindowBytes = 16L * 1024 * 1024;
    private string _folder = "";
    private Repository? _repository;
    private long[] _newestFirst = [];

    [Params(false, true)]
    public bool Window { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("fossilsync-pushexp-").FullName;
        _repository = Repository.Create(Path.Combine(_folder, "r.fossil"), new RepositoryOptions { Random = new Random(5), InitialCheckIn = false });
        var random = new Random(6);
        var text = new StringBuilder();
        while (text.Length < 1_000_000) text.Append("static int line").Append(random.Next(100_000)).Append("(void){ return ").Append(random.Next(1000)).Append("; }\n");
        var versions = new List<byte[]> { Encoding.ASCII.GetBytes(text.ToString()) };
        for (int v = 1; v < Versions; v++)
        {
            byte[] next = (byte[])versions[^1].Clone();
            for (int edit = 0; edit < 40; edit++) Encoding.ASCII.GetBytes($"/* v{v} */").CopyTo(next, random.Next(next.Length - 16));
            versions.Add(next);
        }
        using (var tx = _repository.BeginTransaction())
        {
            _repository.PutArtifact(ArtifactHash.Compute(versions[^1], HashKind.Sha3_256), versions[^1]);
            for (int v = Versions - 2; v >= 0; v--)
            {
                _repository.Content.PutDelta(ArtifactHash.Compute(versions[v], HashKind.Sha3_256), ArtifactHash.Compute(versions[v + 1], HashKind.Sha3_256),
                    FossilDelta.Create(versions[v + 1], versions[v]), new StoreOptions());
            }
            tx.Commit();
        }
        _newestFirst = [.. versions.AsEnumerable().Reverse().Select(v => _repository.Content.FindRid(ArtifactHash.Compute(v, HashKind.Sha3_256))!.Value)];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _repository?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark]
    public long ExpandAndDeltifyNewestFirst()
    {
        var store = _repository!.Content;
        store.ForgetCache();
        long bytes = 0;
        using var more = store.KeepMoreExpansions(WindowBytes);
        if (!Window)
        {
            for (int i = 0; i + 1 < _newestFirst.Length; i++)
            {
                byte[] content = store.Get(_newestFirst[i])!;
                bytes += FossilDelta.Create(store.Get(_newestFirst[i + 1])!, content).Length;
            }
            return bytes;
        }
        using var window = new ExpansionWindow(_repository, WindowBytes);
        for (int i = 0; i + 1 < _newestFirst.Length; i++)
        {
            var content = window.Get(_newestFirst[i])!;
            var parent = window.Get(_newestFirst[i + 1])!;
            bytes += FossilDelta.Create(parent.Span, content.Span).Length;
            parent.Release();
            content.Release();
        }
        return bytes;
    }
}
