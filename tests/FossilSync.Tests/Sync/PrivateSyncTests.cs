using FossilSync.Http;
using FossilSync.Sync;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Sync;

public sealed class PrivateSyncTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _served;

    public PrivateSyncTests()
    {
        _served = _dir.File("served.fossil");
        StockRepositoryBuilder.Build(_served, commits: 5, seed: 41);
        StockFossil.Ok(_dir.Path, "user", "new", "alice", "", "secret", "-R", _served);
        string admin = StockFossil.Ok(_dir.Path, "sql", "-R", _served, "SELECT login FROM user WHERE cap LIKE '%s%' LIMIT 1").Trim().Trim('\'');
        StockFossil.CommitInCheckout(_served, Path.Combine(_dir.Path, "work"), "secret.txt", "not for everyone\n", "private work", admin, isPrivate: true);
    }

    public void Dispose() => _dir.Dispose();

    private string[] Hashes(string sql) =>
        StockFossil.Ok(_dir.Path, "sql", "-R", _served, sql).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim('\'')).ToArray();

    [Fact]
    public async Task Private_artifacts_come_only_with_a_private_sync_and_stay_private()
    {
        StockFossil.Ok(_dir.Path, "user", "capabilities", "alice", "oix", "-R", _served);
        string[] privateOnServer = Hashes("SELECT uuid FROM blob WHERE rid IN private ORDER BY uuid");
        privateOnServer.Should().NotBeEmpty();
        using var server = new StockServer(_served);
        using var transport = new HttpTransport(server.Url);
        var (clone, _) = await FossilClient.CloneAsync(transport, _dir.File("clone.fossil"));
        using (clone)
        {
            clone.ListArtifacts().Should().NotContain(privateOnServer, "a public clone gets nothing private");
            await FossilClient.SyncAsync(clone, transport, new SyncOptions { Push = false, Private = true, User = "alice", Password = "secret" });
            clone.ListArtifacts().Should().Equal(Hashes("SELECT uuid FROM blob WHERE size>=0 ORDER BY uuid"));
            clone.Scalar<string>("SELECT group_concat(uuid, ' ') FROM (SELECT uuid FROM blob WHERE rid IN private ORDER BY uuid)")!
                .Split(' ').Should().Equal(privateOnServer);
        }
        StockFossil.Run(_dir.Path, "test-integrity", "-R", _dir.File("clone.fossil")).IntegrityOk.Should().BeTrue();
    }

    [Fact]
    public async Task Without_the_x_capability_a_private_sync_is_refused()
    {
        StockFossil.Ok(_dir.Path, "user", "capabilities", "alice", "oi", "-R", _served);
        using var server = new StockServer(_served);
        using var transport = new HttpTransport(server.Url);
        var (clone, _) = await FossilClient.CloneAsync(transport, _dir.File("clone.fossil"));
        using (clone)
        {
            var act = () => FossilClient.SyncAsync(clone, transport, new SyncOptions { Private = true, User = "alice", Password = "secret" });
            (await act.Should().ThrowAsync<SyncProtocolException>()).WithMessage("*not authorized to sync private content*");
        }
    }
}
