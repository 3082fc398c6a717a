using FossilSync.Repo;
using FossilSync.Repo.Crosslink;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo.Crosslink;

public sealed class RebuildTests(StockHistoryFixture fixture) : IClassFixture<StockHistoryFixture>
{
    [Fact]
    public void Rebuild_matches_stock_rebuild_row_for_row()
    {
        string ours = fixture.Copy("rebuild-ours.fossil");
        string stock = fixture.Copy("rebuild-stock.fossil");
        using (var repository = Repository.Open(ours))
        {
            Rebuilder.Run(repository).Should().BeGreaterThan(20);
        }
        StockFossil.Ok(fixture.Scratch, "rebuild", stock);
        DerivedTables.ShouldMatch(ours, stock);
    }

    [Fact]
    public void A_manifest_whose_Z_card_does_not_match_is_plain_content_as_in_stock()
    {
        // The rebuild checks Z cards on another core after parsing; a mismatch must undo the
        // optimistic pass and give exactly stock's answer, where the artifact links nothing.
        string ours = fixture.Copy("badz-ours.fossil");
        string tampered;
        using (var repository = Repository.Open(ours))
        {
            string checkIn = repository.Scalar<string>("SELECT uuid FROM blob JOIN event ON objid=rid WHERE type='ci' ORDER BY rid LIMIT 1")!;
            string text = System.Text.Encoding.UTF8.GetString(repository.GetArtifact(checkIn)!);
            int comment = text.IndexOf("\nC ", StringComparison.Ordinal) + 1;
            text = text.Insert(text.IndexOf('\n', comment), "\\s(tampered)");
            tampered = repository.PutArtifact(System.Text.Encoding.UTF8.GetBytes(text));
        }
        string stock = fixture.Copy("badz-stock.fossil");
        File.Copy(ours, stock, overwrite: true);
        using (var repository = Repository.Open(ours))
        {
            Rebuilder.Run(repository).Should().BeGreaterThan(20);
            repository.Scalar<long>("SELECT count(*) FROM event JOIN blob ON objid=rid WHERE uuid=$h", ("$h", tampered)).Should().Be(0);
        }
        StockFossil.Ok(fixture.Scratch, "rebuild", stock);
        DerivedTables.ShouldMatch(ours, stock);
    }

    [Fact]
    public void Rebuild_gives_the_same_fossil_command_output_as_stock()
    {
        string ours = fixture.Copy("cli-ours.fossil");
        string stock = fixture.Copy("cli-stock.fossil");
        using (var repository = Repository.Open(ours))
        {
            Rebuilder.Run(repository);
        }
        StockFossil.Ok(fixture.Scratch, "rebuild", stock);
        string[][] commands =
        [
            ["timeline", "-n", "0", "-t", "ci"],
            ["timeline", "-n", "0"],
            ["leaves"],
            ["leaves", "--all"],
            ["branch", "ls", "--all"],
            ["tag", "ls"],
            ["search", "-a", "fix"],
        ];
        foreach (var command in commands)
        {
            string mine = StockFossil.Ok(fixture.Scratch, [.. command, "-R", ours]);
            string theirs = StockFossil.Ok(fixture.Scratch, [.. command, "-R", stock]);
            mine.Should().Be(theirs, "`fossil {0}` must print the same", string.Join(' ', command));
        }
        StockFossil.Run(fixture.Scratch, "test-integrity", "-R", ours).IntegrityOk.Should().BeTrue();
    }

    [Fact]
    public async Task Cli_rebuild_reports_the_artifacts_it_linked()
    {
        string path = fixture.Copy("cli-rebuild.fossil");
        var stdout = new StringWriter();
        int code = await FossilSync.Cli.CommandLine.RunAsync(["rebuild", path], stdout, new StringWriter(), CancellationToken.None);
        code.Should().Be(0);
        stdout.ToString().Should().MatchRegex(@"^\d+ artifacts crosslinked");
        StockFossil.Ok(fixture.Scratch, "leaves", "-R", path).Should().NotBeEmpty();
    }
}
