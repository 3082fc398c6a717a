using FossilSync.Repo;
using FossilSync.Repo.Crosslink;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo.Crosslink;

/// <summary>
/// Artifacts arriving in any order — children before parents, delta manifests before their
/// baselines, tags before what they tag — and linked batch by batch must leave the same derived
/// tables as stock's <c>fossil rebuild</c> of the same blobs.
/// </summary>
public sealed class IncrementalCrosslinkTests(StockHistoryFixture fixture) : IClassFixture<StockHistoryFixture>
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 5)]
    [InlineData(3, 17)]
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

        string stock = Path.Combine(fixture.Scratch, $"incremental-{seed}-stock.fossil");
        File.Copy(ours, stock, overwrite: true);
        StockFossil.Ok(fixture.Scratch, "rebuild", stock);
        DerivedTables.ShouldMatch(ours, stock, out int ulpOnly);
        ulpOnly.Should().BeLessThan(20);
        StockFossil.Run(fixture.Scratch, "test-integrity", "-R", ours).IntegrityOk.Should().BeTrue();
    }

    /// <summary>
    /// Known gap: in this order a propagating <c>bgcolor</c> (newer) reaches a check-in before
    /// that check-in's own single <c>bgcolor</c> tag (older) arrives. Stock resolves such a
    /// conflict by arrival order too (its rebuild keeps the single tag because it happens to
    /// see it first); we do not yet emulate rebuild's order for it.
    /// </summary>
    [Fact(Skip = "known gap: conflicting single and newer propagating tag arriving in reverse order (see summary)")]
    public void Reverse_arrival_of_conflicting_tags_matches_stock_rebuild() => Shuffled_arrival_in_batches_matches_stock_rebuild(4, 1000);

    private static List<(string Hash, byte[] Content)> ReadAll(string path)
    {
        using var repository = Repository.Open(path);
        return repository.ListArtifacts().Select(h => (h, repository.GetArtifact(h)!)).ToList();
    }
}
