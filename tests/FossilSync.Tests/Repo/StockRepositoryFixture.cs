using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo;

/// <summary>A stock-fossil repository with real history (60 check-ins, a branch, a merge, deltas), built once per test class.</summary>
public sealed class StockRepositoryFixture : IDisposable
{
    private readonly TempDirectory _dir = new();

    public StockRepositoryFixture()
    {
        Path = _dir.File("stock.fossil");
        StockRepositoryBuilder.Build(Path, commits: 60, seed: 2026);
    }

    /// <summary>The pristine repository; tests copy it before changing anything.</summary>
    public string Path { get; }

    /// <summary>A private copy of the repository in <paramref name="dir"/>.</summary>
    public string CopyTo(TempDirectory dir, string name = "copy.fossil")
    {
        string copy = dir.File(name);
        File.Copy(Path, copy);
        return copy;
    }

    public void Dispose() => _dir.Dispose();
}
