using FossilSync.Repo;
using FossilSync.Repo.Crosslink;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo.Crosslink;

/// <summary>
/// Artifacts arriving in any order — children before parents, delta manifests before their
/// baselines, tags before what they tag — and linked batch by batch must leave the same derived
/// tables as stock's <c>fossil rebuild</c> of the repository they came from.
/// </summary>
public sealed class IncrementalCrosslinkTests(StockHistoryWithoutReparentFixture fixture) : IClassFixture<StockHistoryWithoutReparentFixture>
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 5)]
    [InlineData(3, 17)]
    [InlineData(4, 1000)]
    [InlineData(5, 3)]
    [InlineData(6, 2)]
    public void Shuffled_arrival_in_batches_matches_stock_rebuild(int seed, int maxBatch)
    {
        var artifacts = ReadAll(fixture.Repository);
        var random = new Random(seed);
        var order = artifacts.ToArray();
        random.Shuffle(order);
        artifacts = [.. order];

        string ours = Path.Combine(fixture.Scratch, $"incremental-{seed}.fossil");
        File.Delete(ours);
        int linked = 0;
        using (var repository = Repository.Create(ours, new RepositoryOptions { InitialCheckIn = false }))
        {
            for (int i = 0; i < artifacts.Count;)
            {
                int size = random.Next(1, maxBatch + 1);
                var rids = new List<long>();
                foreach (var (hash, content) in artifacts.Skip(i).Take(size))
                {
                    repository.PutArtifact(hash, content);
                    rids.Add(repository.Content.FindRid(hash)!.Value);
                }
                linked += Crosslinking.LinkNew(repository, rids);
                i += size;
            }
        }
        linked.Should().BeGreaterThan(20);

        // The reference is stock's rebuild of the original repository, whose rids follow
        // creation order. Stock's rebuild of our copy would not do: its rids follow our shuffled
        // arrival, and stock resolves a single tag against an overlapping newer propagated tag
        // by processing order; we resolve it as time order does, whatever the arrival order.
        string stock = fixture.Copy($"incremental-{seed}-stock.fossil");
        StockFossil.Ok(fixture.Scratch, "rebuild", stock);
        DerivedTables.ShouldMatch(ours, stock);
        StockFossil.Run(fixture.Scratch, "test-integrity", "-R", ours).IntegrityOk.Should().BeTrue();
    }

    private static List<(string Hash, byte[] Content)> ReadAll(string path)
    {
        using var repository = Repository.Open(path);
        return repository.ListArtifacts().Select(h => (h, repository.GetArtifact(h)!)).ToList();
    }
}
