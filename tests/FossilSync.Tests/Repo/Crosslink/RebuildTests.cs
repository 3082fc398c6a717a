using FossilSync.Repo;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo.Crosslink;

/// <summary>A stock repository with branch, merge and control-artifact tags (added, cancelled, propagating).</summary>
public sealed class TaggedStockRepositoryFixture : IDisposable
{
    private readonly TempDirectory _dir = new();

    public TaggedStockRepositoryFixture()
    {
        Path = _dir.File("tagged.fossil");
        StockRepositoryBuilder.Build(Path, commits: 45, seed: 7);
        string[] checkIns = StockFossil.Ok(_dir.Path, "sql", "-R", Path, "SELECT uuid FROM blob JOIN event ON objid=rid WHERE type='ci' ORDER BY mtime")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim('\'')).ToArray();
        StockFossil.Ok(_dir.Path, "tag", "add", "-R", Path, "release-1", checkIns[10]);
        StockFossil.Ok(_dir.Path, "tag", "add", "-R", Path, "--propagate", "reviewed", checkIns[5], "yes");
        StockFossil.Ok(_dir.Path, "tag", "cancel", "-R", Path, "reviewed", checkIns[20]);
        StockFossil.Ok(_dir.Path, "tag", "add", "-R", Path, "--propagate", "bgcolor", checkIns[30], "#ffc0c0");
        StockFossil.Ok(_dir.Path, "tag", "add", "-R", Path, "release-2", "feature");
    }

    public string Path { get; }

    public string CopyTo(TempDirectory dir, string name)
    {
        string copy = dir.File(name);
        File.Copy(Path, copy);
        return copy;
    }

    public void Dispose() => _dir.Dispose();
}

public sealed class RebuildTests(TaggedStockRepositoryFixture stock) : IClassFixture<TaggedStockRepositoryFixture>
{
    [Fact]
    public void Our_rebuild_derives_the_same_check_in_tables_as_fossil_rebuild_row_for_row()
    {
        using var dir = new TempDirectory();
        string theirs = stock.CopyTo(dir, "theirs.fossil");
        string ours = stock.CopyTo(dir, "ours.fossil");
        StockFossil.Ok(dir.Path, "rebuild", theirs);
        int linked;
        using (var repository = Repository.Open(ours)) linked = repository.Rebuild();
        linked.Should().BeGreaterThan(45);

        // One value is legitimately different: a cluster has no date, so both rebuilds tag it
        // with the wall-clock time of the rebuild itself.
        AssertSameTables(WithoutClusterTagTime(DerivedTables.Snapshot(theirs)), WithoutClusterTagTime(DerivedTables.Snapshot(ours)));
        StockFossil.Run(dir.Path, "test-integrity", "-R", ours).IntegrityOk.Should().BeTrue();
        foreach (var command in new[] { new[] { "leaves" }, ["branch", "ls"], ["tag", "ls"], ["timeline", "-n", "0", "-t", "ci"] })
        {
            StockFossil.Ok(dir.Path, [.. command, "-R", ours]).Should().Be(StockFossil.Ok(dir.Path, [.. command, "-R", theirs]), $"fossil {string.Join(' ', command)}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Crosslinking_in_any_order_gives_the_same_tables(int seed)
    {
        using var dir = new TempDirectory();
        string byRid = stock.CopyTo(dir, "by-rid.fossil");
        string shuffled = stock.CopyTo(dir, "shuffled.fossil");
        // Same clock for both, so even the dateless cluster gets the same tag time.
        var options = new RepositoryOptions { TimeProvider = new FixedTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)) };
        using (var repository = Repository.Open(byRid, options)) repository.Rebuild();
        using (var repository = Repository.Open(shuffled, options)) FossilSync.Repo.Crosslink.RepositoryRebuilder.Rebuild(repository, new Random(seed));
        AssertSameTables(DerivedTables.Snapshot(byRid), DerivedTables.Snapshot(shuffled));
    }

    private static Dictionary<string, List<string>> WithoutClusterTagTime(Dictionary<string, List<string>> tables)
    {
        tables["tagxref"] = tables["tagxref"]
            .Select(row => row.StartsWith("cluster | ", StringComparison.Ordinal) ? string.Join(" | ", row.Split(" | ").Select((cell, i) => i == 5 ? "(rebuild time)" : cell)) : row)
            .Order(StringComparer.Ordinal).ToList();
        return tables;
    }

    private static void AssertSameTables(Dictionary<string, List<string>> expected, Dictionary<string, List<string>> actual)
    {
        foreach (string table in DerivedTables.Names)
        {
            var missing = expected[table].Except(actual[table]).Take(5).ToList();
            var extra = actual[table].Except(expected[table]).Take(5).ToList();
            (missing.Count + extra.Count).Should().Be(0, $"table {table} must match; missing: [{string.Join("; ", missing)}] extra: [{string.Join("; ", extra)}]");
            actual[table].Should().Equal(expected[table], $"table {table} (duplicates included)");
        }
    }
}
