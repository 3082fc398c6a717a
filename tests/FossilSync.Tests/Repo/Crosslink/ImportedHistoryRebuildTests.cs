using FossilSync.Repo;
using FossilSync.Repo.Crosslink;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo.Crosslink;

/// <summary>
/// A second, differently made stock repository: history imported with <c>fossil import --git</c>
/// (branch, merge, a cluster, many deltas) plus control artifacts that add, cancel and
/// propagate tags, bgcolor among them.
/// </summary>
public sealed class ImportedHistoryFixture : GeneratedRepositoryFixture
{
    public ImportedHistoryFixture() : base("imported.fossil")
    {
        StockRepositoryBuilder.Build(Path, commits: 45, seed: 7);
        string[] checkIns = StockFossil.Ok(Folder, "sql", "-R", Path, "SELECT uuid FROM blob JOIN event ON objid=rid WHERE type='ci' ORDER BY mtime")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim('\'')).ToArray();
        StockFossil.Ok(Folder, "tag", "add", "-R", Path, "release-1", checkIns[10]);
        StockFossil.Ok(Folder, "tag", "add", "-R", Path, "--propagate", "reviewed", checkIns[5], "yes");
        StockFossil.Ok(Folder, "tag", "cancel", "-R", Path, "reviewed", checkIns[20]);
        StockFossil.Ok(Folder, "tag", "add", "-R", Path, "--propagate", "bgcolor", checkIns[30], "#ffc0c0");
        StockFossil.Ok(Folder, "tag", "add", "-R", Path, "release-2", "feature");
    }
}

public sealed class ImportedHistoryRebuildTests(ImportedHistoryFixture stock) : IClassFixture<ImportedHistoryFixture>
{
    [Fact]
    public void Our_rebuild_of_an_imported_history_equals_fossil_rebuild_row_for_row_and_on_screen()
    {
        using var dir = new TempDirectory();
        string theirs = stock.CopyTo(dir, "theirs.fossil");
        string ours = stock.CopyTo(dir, "ours.fossil");
        StockFossil.Ok(dir.Path, "rebuild", theirs);
        using (var repository = Repository.Open(ours)) repository.Rebuild().Should().BeGreaterThan(45);

        // One value is legitimately different: a cluster has no date, so each rebuild tags it
        // with the wall-clock time at which it ran.
        DerivedTables.ShouldMatch(ours, theirs, (table, row) =>
            table == "tagxref" && row.StartsWith("'cluster' | ", StringComparison.Ordinal)
                ? string.Join(" | ", row.Split(" | ").Select((cell, i) => i == 5 ? "(rebuild time)" : cell))
                : row);
        StockFossil.Run(dir.Path, "test-integrity", "-R", ours).IntegrityOk.Should().BeTrue();
        foreach (var command in new[] { new[] { "leaves" }, ["branch", "ls"], ["tag", "ls"], ["timeline", "-n", "0"] })
        {
            StockFossil.Ok(dir.Path, [.. command, "-R", ours]).Should().Be(StockFossil.Ok(dir.Path, [.. command, "-R", theirs]), $"fossil {string.Join(' ', command)}");
        }
    }
}
