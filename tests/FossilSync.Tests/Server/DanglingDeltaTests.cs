using FossilSync.AspNetCore;
using FossilSync.Http;
using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Sync;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Server;

/// <summary>
/// A writer pushes <c>file H BASE</c> and BASE never comes: H is kept as a dangling delta (as
/// stock keeps it), and the server must serve around it, never as if whole, never with a 500.
/// </summary>
public sealed class DanglingDeltaTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _served;
    private readonly string _projectCode;
    private readonly string _dangling;
    private readonly byte[] _request;

    public DanglingDeltaTests()
    {
        _served = _dir.File("served.fossil");
        StockRepositoryBuilder.Build(_served, commits: 12, seed: 66);
        StockFossil.Ok(_dir.Path, "user", "new", "alice", "", "secret", "-R", _served);
        StockFossil.Ok(_dir.Path, "user", "capabilities", "alice", "oi", "-R", _served);
        _projectCode = StockFossil.Ok(_dir.Path, "sql", "-R", _served, "SELECT value FROM config WHERE name='project-code'").Trim().Trim('\'');
        byte[] baseContent = "a base that never comes, long enough for a delta to pay\n"u8.ToArray();
        byte[] target = [.. baseContent, .. "and what the writer added\n"u8];
        _dangling = ArtifactHash.Compute(target, HashKind.Sha3_256);
        _request = XferLogin.EncodeSigned(
        [
            new PragmaCard("client-version", "22100", "20230226", "192424"),
            new PushCard(new string('0', 40), _projectCode),
            new FileCard(_dangling, ArtifactHash.Compute(baseContent, HashKind.Sha3_256), FossilDelta.Create(baseContent, target)),
        ], "alice", "secret", _projectCode);
    }

    public void Dispose() => _dir.Dispose();

    private string[] PublicArtifacts(string repo) =>
        StockFossil.Ok(_dir.Path, "sql", "-R", repo, "SELECT uuid FROM blob WHERE size>=0 AND rid NOT IN private ORDER BY uuid").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim('\'')).ToArray();

    [Fact]
    public async Task Clones_and_pulls_of_a_server_holding_a_dangling_delta_succeed_without_it()
    {
        string[] before = PublicArtifacts(_served);
        await using var server = await FossilSyncServer.StartAsync(_served, "http://127.0.0.1:0", new SyncServerOptions { MaxDownload = 20_000 });
        using var transport = new HttpTransport(server.Url);
        var pushed = await transport.ExchangeAsync(_request, CancellationToken.None);
        pushed.Cards.OfType<ErrorCard>().Should().BeEmpty();
        PublicArtifacts(_served).Should().Contain(_dangling, "the delta is kept, waiting for its source, as stock keeps it");

        string stockClone = _dir.File("stock-clone.fossil");
        var clone = StockFossil.Run(_dir.Path, "clone", server.Url.ToString(), stockClone);
        clone.ExitCode.Should().Be(0, clone.Stdout + clone.Stderr);
        PublicArtifacts(stockClone).Should().Equal(before);
        StockFossil.Run(_dir.Path, "test-integrity", "-R", stockClone).IntegrityOk.Should().BeTrue();
        var pull = StockFossil.Run(_dir.Path, "sync", server.Url.ToString(), "-R", stockClone);
        pull.ExitCode.Should().Be(0, pull.Stdout + pull.Stderr);
        PublicArtifacts(stockClone).Should().Equal(before);

        var (ours, _) = await FossilClient.CloneAsync(transport, _dir.File("our-clone.fossil"));
        using (ours)
        {
            ours.ListArtifacts().Should().Equal(before);
            ours.Verify().IsOk.Should().BeTrue();
        }

        // Asked for by name, it is not sent (it cannot be expanded), and the round is answered.
        var asked = await transport.ExchangeAsync(XferLogin.EncodeSigned(
        [
            new PragmaCard("client-version", "22100", "20230226", "192424"),
            new PullCard(new string('0', 40), _projectCode),
            new GimmeCard(_dangling),
        ], null, null, _projectCode), CancellationToken.None);
        asked.Cards.OfType<ErrorCard>().Should().BeEmpty();
        asked.Cards.Should().NotContain(c => c is FileCard || c is CFileCard);
        asked.Cards.OfType<IGotCard>().Select(c => c.Hash).Should().NotContain(_dangling);
    }

    [Fact]
    public async Task Verify_reports_a_dangling_delta_as_test_integrity_does()
    {
        using (var repository = Repository.Open(_served))
        {
            var reply = await SyncHandler.HandleSyncAsync(repository, XferMessage.Decode(_request));
            reply.Cards.OfType<ErrorCard>().Should().BeEmpty();
        }
        var integrity = StockFossil.Run(_dir.Path, "test-integrity", "-R", _served);
        integrity.IntegrityOk.Should().BeFalse("stock counts an artifact it cannot expand as errors");
        using var served = Repository.Open(_served);
        var report = served.Verify();
        report.IsOk.Should().BeFalse();
        report.Problems.Should().ContainSingle().Which.Hash.Should().Be(_dangling);
        report.Problems[0].Reason.Should().Contain("phantom");
    }
}
