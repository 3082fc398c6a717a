using FossilSync.AspNetCore;
using FossilSync.Http;
using FossilSync.Sync;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Sync;

public sealed class CheckInLockTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_lock_held_by_another_client_is_reported_until_it_is_released(bool ourServer)
    {
        string served = _dir.File("served.fossil");
        StockRepositoryBuilder.Build(served, commits: 5, seed: 51);
        StockFossil.Ok(_dir.Path, "user", "new", "alice", "", "secret", "-R", served);
        StockFossil.Ok(_dir.Path, "user", "capabilities", "alice", "oi", "-R", served);
        string tip = StockFossil.Ok(_dir.Path, "sql", "-R", served,
            "SELECT uuid FROM blob WHERE rid IN leaf AND rid IN (SELECT rid FROM tagxref WHERE tagid=8 AND value='trunk')").Trim().Trim('\'');
        using var stock = ourServer ? null : new StockServer(served);
        await using var ours = ourServer ? await FossilSyncServer.StartAsync(served, "http://127.0.0.1:0") : null;
        using var transport = new HttpTransport(ourServer ? ours!.Url : stock!.Url);
        var (clone, _) = await FossilClient.CloneAsync(transport, _dir.File("clone.fossil"));
        using (clone)
        {
            string first = new('a', 40), second = new('b', 40);
            SyncOptions Lock(string client) => new() { Push = false, User = "alice", Password = "secret", CheckInLock = new CheckInLockRequest(tip, client) };

            (await FossilClient.SyncAsync(clone, transport, Lock(first))).CheckInLockConflict.Should().BeNull("nobody held it");
            var conflict = (await FossilClient.SyncAsync(clone, transport, Lock(second))).CheckInLockConflict;
            conflict.Should().NotBeNull();
            conflict!.User.Should().Be("alice");
            conflict.LockedSince.Should().BeGreaterThan(0);

            await FossilClient.SyncAsync(clone, transport, new SyncOptions { Push = false, User = "alice", Password = "secret", CheckInUnlockClientId = first });
            (await FossilClient.SyncAsync(clone, transport, Lock(second))).CheckInLockConflict.Should().BeNull("the first client released it");
        }
    }
}
