using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo;

/// <summary>A stock-fossil repository with real history (60 check-ins, a branch, a merge, deltas), built once per test class.</summary>
public sealed class StockRepositoryFixture : GeneratedRepositoryFixture
{
    public StockRepositoryFixture() : base("stock.fossil") => StockRepositoryBuilder.Build(Path, commits: 60, seed: 2026);
}
