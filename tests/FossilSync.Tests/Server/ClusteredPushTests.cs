using FossilSync.AspNetCore;
using FossilSync.Http;
using FossilSync.Repo;
using FossilSync.Sync;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Server;

/// <summary>
/// A push of a clustered history advertises a few clusters; everything they list must follow,
/// round after round, until our server holds the whole history (as stock's server does).
/// </summary>
public sealed class ClusteredPushTests(ClusteredHistoryFixture history) : IClassFixture<ClusteredHistoryFixture>, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Sql(string repo, string query) => StockFossil.Ok(_dir.Path, "sql", "-R", repo, query);

    private string[] Artifacts(string repo) =>
        Sql(repo, "SELECT uuid FROM blob WHERE size>=0 ORDER BY uuid").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim('\'')).ToArray();

    [Fact]
    public void The_history_is_clustered_so_a_push_advertises_only_a_few_names()
    {
        long.Parse(Sql(history.Path, "SELECT count(*) FROM tagxref WHERE tagid=7").Trim()).Should().BeGreaterThan(1);
        long.Parse(Sql(history.Path, "SELECT count(*) FROM unclustered").Trim()).Should().BeLessThan(100);
        Artifacts(history.Path).Length.Should().BeGreaterThan(2000);
    }

    [Fact]
    public async Task Stock_fossil_pushes_a_clustered_history_to_our_empty_server_and_every_artifact_lands()
    {
        string source = history.CopyTo(_dir, "source.fossil");
        string served = history.CopyEmptyTwinTo(_dir);
        await using (var server = await FossilSyncServer.StartAsync(served, "http://127.0.0.1:0"))
        {
            var push = StockFossil.Run(_dir.Path, "push", server.Url.ToString().Replace("http://", "http://alice:secret@"), "-R", source);
            push.ExitCode.Should().Be(0, push.Stdout + push.Stderr);
        }
        AssertHoldsTheWholeHistory(served, source);
    }

    [Fact]
    public async Task Our_client_pushes_a_clustered_history_to_our_empty_server_and_keeps_going_while_the_server_asks()
    {
        string source = history.CopyTo(_dir, "source.fossil");
        string served = history.CopyEmptyTwinTo(_dir);
        await using (var server = await FossilSyncServer.StartAsync(served, "http://127.0.0.1:0"))
        {
            using var transport = new HttpTransport(server.Url);
            using var repository = Repository.Open(source);
            var result = await FossilClient.SyncAsync(repository, transport, new SyncOptions { Pull = false, User = "alice", Password = "secret" });
            result.FilesSent.Should().Be(Artifacts(history.Path).Length, "every artifact is sent once");
        }
        AssertHoldsTheWholeHistory(served, source);
    }

    private void AssertHoldsTheWholeHistory(string served, string source)
    {
        Sql(served, "SELECT count(*) FROM phantom").Trim().Should().Be("0");
        Artifacts(served).Should().Equal(Artifacts(source));
        var integrity = StockFossil.Run(_dir.Path, "test-integrity", "-R", served);
        integrity.IntegrityOk.Should().BeTrue(integrity.Stdout);
        using var ours = Repository.Open(served);
        ours.Verify().IsOk.Should().BeTrue();
        Sql(served, "SELECT count(*) FROM event WHERE type='ci'").Should().Be(Sql(source, "SELECT count(*) FROM event WHERE type='ci'"), "every check-in is crosslinked");
    }
}
