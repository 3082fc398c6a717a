using BenchmarkDotNet.Attributes;
using FossilSync.Repo;

namespace FossilSync.Benchmarks;

/// <summary>
/// Reading artifacts back (decompress, then apply the delta chain) from a stock-built
/// repository: every artifact once, without and with the content cache, and the parse of
/// every manifest (the crosslinker's first step).
/// </summary>
[MemoryDiagnoser]
public class ContentExpansionBenchmarks
{
    private Repository? _repository;
    private long[] _rids = [];

    [Params(0L, 8L * 1024 * 1024)]
    public long CacheBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _repository = Repository.Open(BenchmarkRepositories.Get(1000), new RepositoryOptions { ContentCacheBytes = CacheBytes });
        var rids = new List<long>();
        using var reader = _repository.Query("SELECT rid FROM blob WHERE size>=0 ORDER BY rid");
        while (reader.Read()) rids.Add(reader.GetInt64(0));
        _rids = [.. rids];
    }

    [GlobalCleanup]
    public void Cleanup() => _repository?.Dispose();

    [Benchmark]
    public long ExpandEveryArtifact()
    {
        long bytes = 0;
        foreach (long rid in _rids) bytes += _repository!.Content.Get(rid)!.Length;
        return bytes;
    }

    [Benchmark]
    public int ParseEveryManifest()
    {
        int manifests = 0;
        foreach (long rid in _rids)
        {
            if (Repo.Artifacts.ArtifactParser.Parse(_repository!.Content.Get(rid)!) is { Type: Repo.Artifacts.ArtifactType.CheckIn }) manifests++;
        }
        return manifests;
    }
}
