using FossilSync.AspNetCore;
using FossilSync.Http;
using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Sync;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Server;

public sealed class StockClientAgainstOurServerTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _served;

    public StockClientAgainstOurServerTests()
    {
        _served = _dir.File("served.fossil");
        StockRepositoryBuilder.Build(_served, commits: 40, seed: 61);
        StockFossil.Ok(_dir.Path, "user", "new", "alice", "", "secret", "-R", _served);
        StockFossil.Ok(_dir.Path, "user", "capabilities", "alice", "oi", "-R", _served);
    }

    public void Dispose() => _dir.Dispose();

    private string[] PublicArtifacts(string repo) =>
        StockFossil.Ok(_dir.Path, "sql", "-R", repo, "SELECT uuid FROM blob WHERE size>=0 AND rid NOT IN private ORDER BY uuid").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim('\'')).ToArray();

    [Theory]
    [InlineData(5_000_000)]
    [InlineData(20_000)]
    public async Task Stock_fossil_clones_from_our_server(int maxDownload)
    {
        await using var server = await FossilSyncServer.StartAsync(_served, "http://127.0.0.1:0", new SyncServerOptions { MaxDownload = maxDownload });
        string clone = _dir.File("stock-clone.fossil");
        var result = StockFossil.Run(_dir.Path, "clone", server.Url.ToString(), clone);
        result.ExitCode.Should().Be(0, result.Stdout + result.Stderr);
        PublicArtifacts(clone).Should().Equal(PublicArtifacts(_served));
        StockFossil.Run(_dir.Path, "test-integrity", "-R", clone).IntegrityOk.Should().BeTrue();
        StockFossil.Ok(_dir.Path, "timeline", "-n", "0", "-t", "ci", "-R", clone).Should().Be(StockFossil.Ok(_dir.Path, "timeline", "-n", "0", "-t", "ci", "-R", _served));
    }

    [Theory]
    [InlineData("oi")]   // a reader gets settings, skin, tickets, shun list; no users, no addresses
    [InlineData("s")]    // an admin gets the users and concealed addresses too
    public async Task Stock_fossil_clones_the_same_configuration_from_our_server_as_from_a_stock_server(string capabilities)
    {
        ConfigurationSample.WriteInto(_dir.Path, _served);
        StockFossil.Ok(_dir.Path, "user", "capabilities", "alice", capabilities, "-R", _served);
        string fromStock = _dir.File("config-from-stock.fossil"), fromOurs = _dir.File("config-from-ours.fossil");
        using (var stock = new StockServer(_served))
        {
            StockFossil.Ok(_dir.Path, "clone", "-A", "alice", stock.Url.ToString().Replace("http://", "http://alice:secret@"), fromStock);
        }
        await using (var server = await FossilSyncServer.StartAsync(_served, "http://127.0.0.1:0"))
        {
            StockFossil.Ok(_dir.Path, "clone", "-A", "alice", server.Url.ToString().Replace("http://", "http://alice:secret@"), fromOurs);
        }

        string expected = ConfigurationSample.Snapshot(_dir.Path, fromStock, "alice");
        expected.Should().Contain("Configuration sample").And.Contain("it''s a header").And.Contain("Open bugs").And.Contain("spam");
        if (capabilities == "s") expected.Should().Contain("Bob the reader").And.Contain("bob@example.com");
        else expected.Should().NotContain("Bob the reader").And.NotContain("bob@example.com");
        ConfigurationSample.Snapshot(_dir.Path, fromOurs, "alice").Should().Be(expected);
    }

    [Fact]
    public async Task Stock_fossil_pushes_a_check_in_to_our_server_and_a_wrong_password_is_refused()
    {
        await using var server = await FossilSyncServer.StartAsync(_served, "http://127.0.0.1:0");
        string url = server.Url.ToString().Replace("http://", "http://alice:secret@");
        string clone = _dir.File("stock-clone.fossil");
        StockFossil.Ok(_dir.Path, "clone", url, clone);
        StockFossil.CommitInCheckout(clone, Path.Combine(_dir.Path, "work"), "pushed.txt", "pushed by stock fossil\n", "stock push to FossilSync", "alice");
        // Without a terminal, stock did not save the password at clone time: give the URL again.
        var push = StockFossil.Run(_dir.Path, "push", url, "-R", clone);
        push.ExitCode.Should().Be(0, push.Stdout + push.Stderr);
        (push.Stdout + push.Stderr).Should().NotContainAny("error", "Error");

        PublicArtifacts(_served).Should().Equal(PublicArtifacts(clone));
        using (var ours = Repository.Open(_served)) ours.Verify().IsOk.Should().BeTrue();
        StockFossil.Run(_dir.Path, "test-integrity", "-R", _served).IntegrityOk.Should().BeTrue();
        StockFossil.Ok(_dir.Path, "timeline", "-n", "1", "-t", "ci", "-R", _served).Should().Contain("stock push to FossilSync");

        var refused = StockFossil.Run(_dir.Path, "clone", server.Url.ToString().Replace("http://", "http://alice:wrong@"), _dir.File("refused.fossil"));
        (refused.Stdout + refused.Stderr).Should().Contain("login failed");
    }

    [Fact]
    public async Task Stock_fossil_exchanges_unversioned_files_with_our_server()
    {
        StockFossil.Ok(_dir.Path, "user", "capabilities", "alice", "oiy", "-R", _served);
        using (var ours = Repository.Open(_served)) ours.Unversioned.Put("docs/ours.txt", "from FossilSync's server\n"u8, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await FossilSyncServer.StartAsync(_served, "http://127.0.0.1:0");
        string url = server.Url.ToString().Replace("http://", "http://alice:secret@");
        string clone = _dir.File("stock-uv-clone.fossil");
        StockFossil.Ok(_dir.Path, "clone", "-u", url, clone);
        StockFossil.Ok(_dir.Path, "uv", "cat", "docs/ours.txt", "-R", clone).Should().Be("from FossilSync's server\n");

        File.WriteAllText(_dir.File("theirs.txt"), "from stock fossil\n");
        StockFossil.Ok(_dir.Path, "uv", "add", _dir.File("theirs.txt"), "--as", "docs/theirs.txt", "-R", clone);
        var sync = StockFossil.Run(_dir.Path, "uv", "sync", url, "-R", clone);
        sync.ExitCode.Should().Be(0, sync.Stdout + sync.Stderr);
        using var after = Repository.Open(_served);
        System.Text.Encoding.UTF8.GetString(after.Unversioned.Get("docs/theirs.txt")!).Should().Be("from stock fossil\n");
        after.Unversioned.CatalogueHash().Should().Be(StockCatalogueHash(clone));
    }

    // Stock's own catalogue hash, recomputed from its table the way the protocol defines it.
    private string StockCatalogueHash(string repo)
    {
        string rows = StockFossil.Ok(_dir.Path, "sql", "-R", repo,
            "SELECT group_concat(name || ' ' || datetime(mtime,'unixepoch') || ' ' || hash || char(10), '') FROM (SELECT * FROM unversioned WHERE hash IS NOT NULL ORDER BY name)");
        string text = rows.Trim().Trim('\'').Replace("\\n", "\n");
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(text.EndsWith('\n') ? text : text + "\n")));
    }

    [Fact]
    public async Task Two_stock_clients_pushing_at_the_same_time_both_land()
    {
        await using var server = await FossilSyncServer.StartAsync(_served, "http://127.0.0.1:0");
        string url = server.Url.ToString().Replace("http://", "http://alice:secret@");
        var clones = new List<string>();
        foreach (string name in new[] { "one", "two" })
        {
            string clone = _dir.File($"{name}.fossil");
            StockFossil.Ok(_dir.Path, "clone", url, clone);
            StockFossil.CommitInCheckout(clone, Path.Combine(_dir.Path, "work-" + name), $"{name}.txt", $"from client {name}\n", $"check-in from client {name}", "alice");
            clones.Add(clone);
        }
        var pushes = clones.Select(clone => Task.Run(() => StockFossil.Run(_dir.Path, "push", url, "-R", clone))).ToArray();
        foreach (var push in await Task.WhenAll(pushes)) push.ExitCode.Should().Be(0, push.Stdout + push.Stderr);

        string timeline = StockFossil.Ok(_dir.Path, "timeline", "-n", "0", "-t", "ci", "-R", _served);
        timeline.Should().Contain("check-in from client one").And.Contain("check-in from client two");
        using var ours = Repository.Open(_served);
        ours.Verify().IsOk.Should().BeTrue();
        foreach (string name in new[] { "one", "two" })
        {
            PublicArtifacts(_dir.File($"{name}.fossil")).Should().BeSubsetOf(PublicArtifacts(_served), $"nothing of client {name} may be lost");
        }
    }

    [Fact]
    public async Task A_shunned_artifact_is_left_out_of_every_clone_page()
    {
        // A file's content that no other artifact is stored as a delta of, so a clone misses only it.
        string shunned = StockFossil.Ok(_dir.Path, "sql", "-R", _served,
            "SELECT uuid FROM blob WHERE size>=0 AND rid NOT IN (SELECT objid FROM event) AND rid NOT IN (SELECT srcid FROM delta) ORDER BY rid DESC LIMIT 1").Trim().Trim('\'');
        shunned.Should().NotBeEmpty();
        StockFossil.Ok(_dir.Path, "sql", "-R", _served, $"INSERT INTO shun(uuid, mtime) VALUES('{shunned}', 0)");

        // Read off the wire: a stock client that takes the shun list along would drop the artifact itself.
        using var repository = Repository.Open(_served);
        var sent = new List<string>();
        for (long seq = 1; seq != 0;)
        {
            var reply = await SyncHandler.HandleSyncAsync(repository, new XferMessage([CraftedRequest.ClientVersion, new CloneCard(3, seq)]));
            sent.AddRange(reply.Cards.OfType<CFileCard>().Select(c => c.Hash));
            seq = reply.Cards.OfType<CloneSeqnoCard>().Single().SequenceNumber;
        }

        sent.Should().NotContain(shunned).And.BeEquivalentTo(PublicArtifacts(_served).Where(h => h != shunned), "everything else is served");
    }

    [Fact]
    public async Task Private_artifacts_are_served_only_to_private_syncs_with_the_x_capability()
    {
        StockFossil.CommitInCheckout(_served, Path.Combine(_dir.Path, "private-work"), "secret.txt", "private to the server\n", "private work", "alice", isPrivate: true);
        string[] privateHashes = StockFossil.Ok(_dir.Path, "sql", "-R", _served, "SELECT uuid FROM blob WHERE rid IN private ORDER BY uuid")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim('\'')).ToArray();
        privateHashes.Should().NotBeEmpty();

        await using var server = await FossilSyncServer.StartAsync(_served, "http://127.0.0.1:0");
        string url = server.Url.ToString().Replace("http://", "http://alice:secret@");
        string clone = _dir.File("stock-private.fossil");
        StockFossil.Ok(_dir.Path, "clone", url, clone);
        string Privates() => StockFossil.Ok(_dir.Path, "sql", "-R", clone, "SELECT count(*) FROM blob WHERE uuid IN (" + string.Join(",", privateHashes.Select(h => $"'{h}'")) + ") AND size>=0 AND rid IN private").Trim();
        Privates().Should().Be("0", "a plain clone gets nothing private");

        StockFossil.Ok(_dir.Path, "user", "capabilities", "alice", "oi", "-R", _served);
        var refused = StockFossil.Run(_dir.Path, "sync", "--private", url, "-R", clone);
        (refused.Stdout + refused.Stderr).Should().Contain("not authorized to sync private content");

        StockFossil.Ok(_dir.Path, "user", "capabilities", "alice", "oix", "-R", _served);
        var sync = StockFossil.Run(_dir.Path, "sync", "--private", url, "-R", clone);
        sync.ExitCode.Should().Be(0, sync.Stdout + sync.Stderr);
        Privates().Should().Be(privateHashes.Length.ToString(), "each private artifact arrives, and stays private");
        StockFossil.Run(_dir.Path, "test-integrity", "-R", clone).IntegrityOk.Should().BeTrue();
    }

    [Fact]
    public async Task A_pull_makes_our_server_cluster_its_artifacts_as_stock_does()
    {
        long Unclustered() => long.Parse(StockFossil.Ok(_dir.Path, "sql", "-R", _served, "SELECT count(*) FROM unclustered").Trim());
        // 'fossil import' clustered its work already: make it a repository nobody ever clustered.
        StockFossil.Ok(_dir.Path, "sql", "-R", _served, "INSERT OR IGNORE INTO unclustered SELECT rid FROM blob WHERE size>=0 AND rid NOT IN private");
        Unclustered().Should().BeGreaterThanOrEqualTo(100, "the fixture must be big enough to cluster");
        await using var server = await FossilSyncServer.StartAsync(_served, "http://127.0.0.1:0");
        string clone = _dir.File("stock-pull.fossil");
        StockFossil.Ok(_dir.Path, "clone", server.Url.ToString(), clone);
        var pull = StockFossil.Run(_dir.Path, "pull", server.Url.ToString(), "-R", clone);
        pull.ExitCode.Should().Be(0, pull.Stdout + pull.Stderr);

        Unclustered().Should().Be(1, "everything is now listed in one new cluster, which is itself advertised");
        StockFossil.Ok(_dir.Path, "sql", "-R", _served, "SELECT count(*) FROM tagxref WHERE tagid=7").Trim().Should().Be("2", "import's cluster and ours");
        PublicArtifacts(clone).Should().Equal(PublicArtifacts(_served), "the stock client fetched the cluster too");
        StockFossil.Run(_dir.Path, "test-integrity", "-R", _served).IntegrityOk.Should().BeTrue();
        StockFossil.Run(_dir.Path, "test-integrity", "-R", clone).IntegrityOk.Should().BeTrue();
    }

    [Fact]
    public async Task Our_client_clones_and_syncs_with_our_server()
    {
        await using var server = await FossilSyncServer.StartAsync(_served, "http://127.0.0.1:0");
        using var transport = new HttpTransport(server.Url);
        var (clone, result) = await FossilClient.CloneAsync(transport, _dir.File("our-clone.fossil"));
        using (clone)
        {
            clone.ListArtifacts().Should().Equal(PublicArtifacts(_served));
            clone.Unversioned.Put("x.txt", "x\n"u8);
            var sync = await FossilClient.SyncAsync(clone, transport, new SyncOptions { User = "alice", Password = "secret" });
            sync.Rounds.Should().BeLessThan(5);
        }
        StockFossil.Run(_dir.Path, "test-integrity", "-R", _dir.File("our-clone.fossil")).IntegrityOk.Should().BeTrue();
        (await new HttpClient().GetStringAsync(new Uri(server.Url, "/healthz"))).Should().Be("ok");
    }
}
