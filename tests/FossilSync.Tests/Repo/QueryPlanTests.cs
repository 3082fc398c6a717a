using FossilSync.Repo;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo;

/// <summary>
/// Queries asked on every clone page or pull round must walk indexes, never scan a whole table:
/// the bundled SQLite's planner once chose a scan of the blob table for one of them.
/// </summary>
public sealed class QueryPlanTests
{
    [Fact]
    public void The_walk_to_deltas_that_cannot_be_expanded_starts_from_the_phantoms_and_scans_no_table()
    {
        using var dir = new TempDirectory();
        string path = dir.File("r.fossil");
        StockRepositoryBuilder.Build(path, commits: 5, seed: 3);
        using var repository = Repository.Open(path);

        var steps = Plan(repository, ContentStore.UnexpandableNamesQuery);

        steps.Should().Contain(step => step.StartsWith("SCAN p", StringComparison.Ordinal), "the walk starts from the phantoms");
        steps.Where(step => step.StartsWith("SCAN ", StringComparison.Ordinal))
            .Should().OnlyContain(step => step == "SCAN p" || step == "SCAN g", "only the phantoms and the walk's own rows are read in full");
    }

    private static List<string> Plan(Repository repository, string sql)
    {
        using var command = repository.Command("EXPLAIN QUERY PLAN " + sql);
        using var reader = repository.Read(command);
        var steps = new List<string>();
        while (reader.Read()) steps.Add(reader.GetString(3));
        return steps;
    }
}
