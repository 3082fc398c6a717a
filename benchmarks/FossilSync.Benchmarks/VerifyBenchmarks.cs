using BenchmarkDotNet.Attributes;
using FossilSync.Repo;

namespace FossilSync.Benchmarks;

/// <summary>
/// <c>Repository.Verify</c> over a stock-built repository with long delta chains (the same
/// file <c>fossil test-integrity</c> is timed on; see README).
/// </summary>
[MemoryDiagnoser]
public class VerifyBenchmarks
{
    private Repository? _repository;

    [Params(1000)]
    public int Commits { get; set; }

    [GlobalSetup]
    public void Setup() => _repository = Repository.Open(BenchmarkRepositories.Get(Commits), new RepositoryOptions { ContentCacheBytes = 0 });

    [GlobalCleanup]
    public void Cleanup() => _repository?.Dispose();

    [Benchmark]
    public int Verify() => _repository!.Verify().Verified;
}
