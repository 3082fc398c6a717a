using FossilSync.Http;
using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Sync;
using FossilSync.Testing;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Sync;

public sealed class SyncTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _served;

    public SyncTests()
    {
        _served = _dir.File("served.fossil");
        StockRepositoryBuilder.Build(_served, commits: 30, seed: 21);
        StockFossil.Ok(_dir.Path, "user", "new", "alice", "", "secret", "-R", _served);
        StockFossil.Ok(_dir.Path, "user", "capabilities", "alice", "oi", "-R", _served);
    }

    public void Dispose() => _dir.Dispose();

    private string[] Artifacts(string repo) =>
        StockFossil.Ok(_dir.Path, "sql", "-R", repo, "SELECT uuid FROM blob WHERE size>=0 ORDER BY uuid").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim('\'')).ToArray();

    private void CommitWithStockFossil(string repo, string workName, string file, string text, string comment)
    {
        string admin = StockFossil.Ok(_dir.Path, "sql", "-R", repo, "SELECT login FROM user WHERE cap LIKE '%s%' LIMIT 1").Trim().Trim('\'');
        StockFossil.CommitInCheckout(repo, Path.Combine(_dir.Path, workName), file, text, comment, admin);
    }

    [Fact]
    public async Task Pull_brings_new_server_check_ins_linked_into_the_timeline()
    {
        using var server = new StockServer(_served);
        using var transport = new HttpTransport(server.Url);
        string clonePath = _dir.File("clone.fossil");
        var (clone, _) = await FossilClient.CloneAsync(transport, clonePath);
        using (clone)
        {
            CommitWithStockFossil(_served, "server-work", "new-on-server.txt", "made on the server\n", "server side work");
            var result = await FossilClient.SyncAsync(clone, transport, new SyncOptions { Push = false });
            result.FilesReceived.Should().BeGreaterThanOrEqualTo(2, "a manifest and a file");
            result.ArtifactsLinked.Should().BeGreaterThanOrEqualTo(1);
            clone.ListArtifacts().Should().Equal(Artifacts(_served));
        }
        StockFossil.Run(_dir.Path, "test-integrity", "-R", clonePath).IntegrityOk.Should().BeTrue();
        StockFossil.Ok(_dir.Path, "timeline", "-n", "0", "-t", "ci", "-R", clonePath)
            .Should().Be(StockFossil.Ok(_dir.Path, "timeline", "-n", "0", "-t", "ci", "-R", _served));
    }

    [Fact]
    public async Task Push_sends_a_local_check_in_to_the_server()
    {
        using var server = new StockServer(_served);
        using var transport = new HttpTransport(server.Url);
        string clonePath = _dir.File("clone.fossil");
        var (clone, _) = await FossilClient.CloneAsync(transport, clonePath);
        clone.Dispose();
        CommitWithStockFossil(clonePath, "clone-work", "new-in-clone.txt", "made in our clone\n", "pushed by FossilSync");
        string[] ours = Artifacts(clonePath);

        using (var repository = Repository.Open(clonePath))
        {
            var result = await FossilClient.SyncAsync(repository, transport, new SyncOptions { User = "alice", Password = "secret" });
            result.FilesSent.Should().BeGreaterThanOrEqualTo(2);
        }
        Artifacts(_served).Should().Equal(ours);
        StockFossil.Run(_dir.Path, "test-integrity", "-R", _served).IntegrityOk.Should().BeTrue();
        StockFossil.Ok(_dir.Path, "timeline", "-n", "1", "-t", "ci", "-R", _served).Should().Contain("pushed by FossilSync");
    }

    [Fact]
    public async Task A_wrong_password_is_refused_clearly_and_changes_nothing()
    {
        using var server = new StockServer(_served);
        using var transport = new HttpTransport(server.Url);
        var (clone, _) = await FossilClient.CloneAsync(transport, _dir.File("clone.fossil"));
        using (clone)
        {
            int before = clone.ListArtifacts().Count;
            var act = () => FossilClient.SyncAsync(clone, transport, new SyncOptions { User = "alice", Password = "wrong" });
            (await act.Should().ThrowAsync<SyncProtocolException>()).WithMessage("*login failed*");
            clone.ListArtifacts().Should().HaveCount(before);
        }
    }

    [Fact]
    public async Task Round_logic_asks_for_what_the_server_advertises_and_converges()
    {
        using var dir = new TempDirectory();
        using var repository = Repository.Create(dir.File("r.fossil"), new RepositoryOptions { Random = new Random(1) });
        byte[] content = "advertised by the mock server\n"u8.ToArray();
        string hash = ArtifactHash.Compute(content, HashKind.Sha3_256);
        var server = new MockTransport(request =>
            request.Cards.OfType<GimmeCard>().Any(g => g.Hash == hash)
                ? new XferMessage([new FileCard(hash, null, content)])
                : new XferMessage([new IGotCard(hash)]));

        var result = await FossilClient.SyncAsync(repository, server, new SyncOptions { Push = false, Random = new Random(2) });

        result.Rounds.Should().Be(2, "igot, then gimme and file, then nothing left");
        server.Requests[0].Cards[0].Should().Be(new PragmaCard("client-version", "22100", "20230226", "192424"));
        server.Requests[1].Cards.OfType<GimmeCard>().Should().ContainSingle().Which.Hash.Should().Be(hash);
        repository.GetArtifact(hash).Should().Equal(content);
    }

    [Fact]
    public async Task A_push_over_its_send_budget_advertises_the_rest_and_sends_each_artifact_once_asked()
    {
        using var dir = new TempDirectory();
        using var repository = Repository.Create(dir.File("r.fossil"), new RepositoryOptions { Random = new Random(3), InitialCheckIn = false });
        var local = Enumerable.Range(0, 12).Select(i => repository.PutArtifact(System.Text.Encoding.UTF8.GetBytes(new string((char)('a' + i), 900) + "\n"))).ToHashSet();
        // Only the unsent list names them (nothing is unclustered), so what does not fit a round
        // reaches the server only as the igot cards of the round's leftovers.
        repository.Execute("DELETE FROM unclustered");
        var received = new List<string>();
        // The server lacks everything it hears of and asks for it.
        var server = new MockTransport(request =>
        {
            received.AddRange(request.Cards.OfType<FileCard>().Select(f => f.Hash));
            return new XferMessage([.. request.Cards.OfType<IGotCard>().Where(i => !received.Contains(i.Hash)).Select(i => new GimmeCard(i.Hash))]);
        });

        var result = await FossilClient.SyncAsync(repository, server, new SyncOptions { Pull = false, SendBudget = 2_000, Random = new Random(4) });

        received.Should().BeEquivalentTo(local, "each artifact is sent once: unasked in round 1 while the budget lasts, then when asked");
        result.Rounds.Should().Be(4, "three 901-byte artifacts go out before a 2,000-byte budget runs out; the rest wait as igot cards");
        server.Requests.SkipLast(1).Should().OnlyContain(r => r.Cards.OfType<FileCard>().Count() == 3 && r.Cards.OfType<IGotCard>().Any());
    }

    [Fact]
    public async Task A_push_sends_what_the_server_asked_for_in_the_order_it_asked()
    {
        using var dir = new TempDirectory();
        using var repository = Repository.Create(dir.File("r.fossil"), new RepositoryOptions { Random = new Random(5), InitialCheckIn = false });
        var local = Enumerable.Range(0, 6).Select(i => repository.PutArtifact(System.Text.Encoding.UTF8.GetBytes(new string((char)('k' + i), 300) + "\n"))).ToList();
        // Advertised by igot only: everything goes out when asked.
        repository.Execute("DELETE FROM unsent");
        // Oldest first: the reverse of the order the client expands them in.
        var asked = local.OrderBy(h => repository.Content.FindRid(h)!.Value).ToList();
        var server = new MockTransport(request => request.Cards.OfType<FileCard>().Any()
            ? new XferMessage([])
            : new XferMessage([.. asked.Select(h => new GimmeCard(h))]));

        await FossilClient.SyncAsync(repository, server, new SyncOptions { Pull = false, Random = new Random(6) });

        server.Requests.Should().HaveCount(2);
        server.Requests[1].Cards.OfType<FileCard>().Select(f => f.Hash).Should().Equal(asked,
            "stock's server stores and crosslinks in the order files arrive; in another order it stores more of them whole");
    }

    [Fact]
    public async Task A_push_expands_each_version_of_a_large_file_once()
    {
        using var dir = new TempDirectory();
        using var repository = Repository.Create(dir.File("r.fossil"), new RepositoryOptions { Random = new Random(7), InitialCheckIn = false });
        // Versions over a quarter of the default cache.
        const int Versions = 8;
        LargeFileVersions.Store(repository, Versions, 3 * 1024 * 1024);
        repository.Execute("DELETE FROM unsent");
        var server = new MockTransport(request => request.Cards.OfType<FileCard>().Any()
            ? new XferMessage([])
            : new XferMessage([.. request.Cards.OfType<IGotCard>().Select(i => new GimmeCard(i.Hash))]));
        long before = repository.Content.LinksWalked;

        await FossilClient.SyncAsync(repository, server, new SyncOptions { Pull = false, SendBudget = int.MaxValue, Random = new Random(9) });

        server.Requests[1].Cards.OfType<FileCard>().Should().HaveCount(Versions);
        repository.Content.LinksWalked.Should().Be(before + Versions - 1,
            "newest first, each older version is one delta from the one read before it, which the push keeps however large");
    }

    [Fact]
    public async Task A_delta_that_expands_to_something_else_than_its_name_fails_the_round_and_keeps_nothing()
    {
        using var dir = new TempDirectory();
        using var repository = Repository.Create(dir.File("r.fossil"));
        byte[] source = "the source of a delta, long enough to be worth it\n"u8.ToArray();
        byte[] target = [.. source, .. "and a tail\n"u8];
        string sourceHash = ArtifactHash.Compute(source, HashKind.Sha3_256);
        string claimed = ArtifactHash.Compute("not what the delta gives\n"u8, HashKind.Sha3_256);
        // The delta comes first, while its source is still unknown; the source completes it.
        var server = new MockTransport(request => request.Cards.OfType<GimmeCard>().Any()
            ? new XferMessage([new FileCard(claimed, sourceHash, FossilSync.Primitives.FossilDelta.Create(source, target)), new FileCard(sourceHash, null, source)])
            : new XferMessage([new IGotCard(claimed), new IGotCard(sourceHash)]));

        var act = () => FossilClient.SyncAsync(repository, server, new SyncOptions { Push = false });

        (await act.Should().ThrowAsync<FossilSyncException>()).WithMessage($"*do not hash to their names*{claimed}*");
        server.Requests.Should().HaveCount(2, "it fails at once instead of asking again and again");
        repository.HasArtifact(sourceHash).Should().BeFalse("nothing of that round is kept");
        repository.Verify().IsOk.Should().BeTrue();
    }

    [Fact]
    public async Task A_server_that_never_stops_advertising_hits_the_round_limit()
    {
        using var dir = new TempDirectory();
        using var repository = Repository.Create(dir.File("r.fossil"));
        int n = 0;
        var endless = new MockTransport(_ => new XferMessage([new IGotCard(ArtifactHash.Compute(BitConverter.GetBytes(n++), HashKind.Sha3_256))]));
        var act = () => FossilClient.SyncAsync(repository, endless, new SyncOptions { Push = false, MaxRounds = 5 });
        (await act.Should().ThrowAsync<SyncProtocolException>()).WithMessage("*within 5 rounds*");
    }
}
