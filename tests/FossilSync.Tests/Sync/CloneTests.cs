using FossilSync.Http;
using FossilSync.Sync;
using FossilSync.Testing;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Sync;

public sealed class CloneTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _served;

    public CloneTests()
    {
        _served = _dir.File("served.fossil");
        StockRepositoryBuilder.Build(_served, commits: 60, seed: 11);
        StockFossil.Ok(_dir.Path, "tag", "add", "-R", _served, "release-1", "trunk");
    }

    public void Dispose() => _dir.Dispose();

    private string[] Lines(params string[] args) =>
        StockFossil.Ok(_dir.Path, args).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim().Trim('\'')).ToArray();

    [Fact]
    public async Task A_clone_from_stock_fossil_server_has_its_artifacts_integrity_and_timeline()
    {
        using var server = new StockServer(_served);
        using var transport = new HttpTransport(server.Url);
        string clonePath = _dir.File("clone.fossil");
        var (clone, result) = await FossilClient.CloneAsync(transport, clonePath);
        using (clone)
        {
            clone.ListArtifacts().Should().Equal(Lines("sql", "-R", _served, "SELECT uuid FROM blob WHERE size>=0 AND rid NOT IN private ORDER BY uuid"));
            result.ProjectCode.Should().Be(Lines("sql", "-R", _served, "SELECT value FROM config WHERE name='project-code'")[0]);
            clone.ProjectCode.Should().Be(result.ProjectCode);
            result.ArtifactsLinked.Should().BeGreaterThan(60);
        }
        StockFossil.Run(_dir.Path, "test-integrity", "-R", clonePath).IntegrityOk.Should().BeTrue();
        StockFossil.Ok(_dir.Path, "timeline", "-n", "0", "-t", "ci", "-R", clonePath)
            .Should().Be(StockFossil.Ok(_dir.Path, "timeline", "-n", "0", "-t", "ci", "-R", _served));
        StockFossil.Ok(_dir.Path, "leaves", "-R", clonePath).Should().Be(StockFossil.Ok(_dir.Path, "leaves", "-R", _served));
    }

    [Fact]
    public async Task A_clone_copies_the_configuration_as_stock_fossil_clone_does()
    {
        ConfigurationSample.WriteInto(_dir.Path, _served);
        StockFossil.Ok(_dir.Path, "user", "new", "carol", "", "pw", "-R", _served);
        StockFossil.Ok(_dir.Path, "user", "capabilities", "carol", "s", "-R", _served);
        using var server = new StockServer(_served);
        string stockClone = _dir.File("stock-config.fossil"), ourClone = _dir.File("our-config.fossil");
        StockFossil.Ok(_dir.Path, "clone", "-A", "carol", server.Url.ToString().Replace("http://", "http://carol:pw@"), stockClone);
        using var transport = new HttpTransport(server.Url);
        var (clone, _) = await FossilClient.CloneAsync(transport, ourClone, new CloneOptions { User = "carol", Password = "pw" });
        clone.Dispose();

        string expected = ConfigurationSample.Snapshot(_dir.Path, stockClone, "carol");
        expected.Should().Contain("Configuration sample").And.Contain("Bob the reader").And.Contain("bob@example.com");
        ConfigurationSample.Snapshot(_dir.Path, ourClone, "carol").Should().Be(expected);
    }

    [Fact]
    public async Task A_small_download_budget_pages_the_clone_over_many_rounds()
    {
        StockFossil.Ok(_dir.Path, "sql", "-R", _served, "REPLACE INTO config(name, value, mtime) VALUES('max-download', '20000', 0)");
        using var server = new StockServer(_served);
        using var transport = new HttpTransport(server.Url);
        var rounds = new List<SyncProgress>();
        var (clone, result) = await FossilClient.CloneAsync(transport, _dir.File("paged.fossil"), new CloneOptions { Progress = new SynchronousProgress(rounds.Add) });
        using (clone)
        {
            result.Rounds.Should().BeGreaterThan(5);
            rounds.Should().HaveCount(result.Rounds);
            clone.Verify().IsOk.Should().BeTrue();
            clone.ListArtifacts().Should().HaveCount(Lines("sql", "-R", _served, "SELECT uuid FROM blob WHERE size>=0").Length);
        }
    }

    [Fact]
    public async Task A_server_that_refuses_anonymous_clones_needs_a_login_and_a_refusal_leaves_no_file()
    {
        StockFossil.Ok(_dir.Path, "user", "capabilities", "nobody", "", "-R", _served);
        StockFossil.Ok(_dir.Path, "user", "capabilities", "anonymous", "", "-R", _served);
        StockFossil.Ok(_dir.Path, "user", "new", "alice", "", "secret", "-R", _served);
        StockFossil.Ok(_dir.Path, "user", "capabilities", "alice", "g", "-R", _served);
        using var server = new StockServer(_served);
        using var transport = new HttpTransport(server.Url);

        string refusedPath = _dir.File("refused.fossil");
        var anonymous = () => FossilClient.CloneAsync(transport, refusedPath);
        (await anonymous.Should().ThrowAsync<SyncProtocolException>()).WithMessage("*not authorized to clone*");
        File.Exists(refusedPath).Should().BeFalse();

        var wrong = () => FossilClient.CloneAsync(transport, refusedPath, new CloneOptions { User = "alice", Password = "nope" });
        (await wrong.Should().ThrowAsync<SyncProtocolException>()).WithMessage("*login failed*");
        File.Exists(refusedPath).Should().BeFalse();

        var (clone, result) = await FossilClient.CloneAsync(transport, _dir.File("alice.fossil"), new CloneOptions { User = "alice", Password = "secret" });
        using (clone) result.Rounds.Should().BeGreaterThanOrEqualTo(2, "round 1 carries no login");
    }

    [Fact]
    public async Task Cancelling_mid_clone_leaves_no_file_at_the_target()
    {
        StockFossil.Ok(_dir.Path, "sql", "-R", _served, "REPLACE INTO config(name, value, mtime) VALUES('max-download', '20000', 0)");
        using var server = new StockServer(_served);
        using var transport = new HttpTransport(server.Url);
        using var cancel = new CancellationTokenSource();
        string path = _dir.File("cancelled.fossil");
        var options = new CloneOptions { Progress = new SynchronousProgress(p => { if (p.Round == 2) cancel.Cancel(); }) };
        var act = () => FossilClient.CloneAsync(transport, path, options, cancel.Token);
        await act.Should().ThrowAsync<OperationCanceledException>();
        File.Exists(path).Should().BeFalse();
    }

    private sealed class SynchronousProgress(Action<SyncProgress> report) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => report(value);
    }
}

public sealed class CloneVerificationTests
{
    [Theory]
    [InlineData(false)]   // a full text under a wrong name
    [InlineData(true)]    // a delta that expands to something else than its name
    public async Task A_clone_with_an_artifact_that_does_not_hash_to_its_name_fails_and_leaves_no_file(bool asDelta)
    {
        using var dir = new TempDirectory();
        byte[] good = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("a line of the good file\n", 20)));
        byte[] evil = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("a line of the evil file\n", 20)));
        string goodHash = FossilSync.Primitives.ArtifactHash.Compute(good, FossilSync.Primitives.HashKind.Sha3_256);
        string claimed = FossilSync.Primitives.ArtifactHash.Compute("what the name promises"u8, FossilSync.Primitives.HashKind.Sha3_256);
        var cards = new List<FossilSync.Xfer.XferCard>();
        if (asDelta)
        {
            // The delta arrives before its source, as in a real clone.
            byte[] delta = FossilSync.Primitives.FossilDelta.Create(good, evil);
            cards.Add(new FossilSync.Xfer.CFileCard(claimed, goodHash, evil.Length, FossilSync.Primitives.BlobCompression.Compress(delta)));
            cards.Add(new FossilSync.Xfer.CFileCard(goodHash, null, good.Length, FossilSync.Primitives.BlobCompression.Compress(good)));
        }
        else
        {
            cards.Add(new FossilSync.Xfer.CFileCard(claimed, null, evil.Length, FossilSync.Primitives.BlobCompression.Compress(evil)));
        }
        cards.Add(new FossilSync.Xfer.CloneSeqnoCard(0));
        cards.Add(new FossilSync.Xfer.PushCard(new string('1', 40), new string('2', 40)));
        int round = 0;
        var transport = new MockTransport(_ => ++round == 1 ? new FossilSync.Xfer.XferMessage(cards) : new FossilSync.Xfer.XferMessage([]));
        string path = dir.File("evil.fossil");

        var clone = () => FossilClient.CloneAsync(transport, path);

        (await clone.Should().ThrowAsync<SyncProtocolException>()).Which.Message.Should().Contain(claimed);
        File.Exists(path).Should().BeFalse();
    }
}
