using BenchmarkDotNet.Attributes;
using FossilSync.Repo;
using FossilSync.Repo.Crosslink;

namespace FossilSync.Benchmarks;

/// <summary>
/// Our rebuild of the derived tables of a repository that stock fossil made from a seeded
/// <c>git fast-export</c> stream (<see cref="StockGitImport"/>; needs stock fossil). Each
/// iteration rebuilds a fresh copy of it.
/// </summary>
[MemoryDiagnoser]
public abstract class StockRebuildBenchmark
{
    private string _dir = "";
    private string _source = "";
    private string _copy = "";

    /// <summary>The history to import, from the benchmark's parameters.</summary>
    protected abstract string GitStream();

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "fossilsync-bench-" + GetType().Name + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _source = Path.Combine(_dir, "source.fossil");
        _copy = Path.Combine(_dir, "copy.fossil");
        StockGitImport.Run(_source, GitStream());
    }

    [IterationSetup]
    public void Copy() => File.Copy(_source, _copy, overwrite: true);

    [Benchmark]
    public int Rebuild()
    {
        using var repository = Repository.Open(_copy);
        return Rebuilder.Run(repository);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);
}
