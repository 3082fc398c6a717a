using System.Collections.Concurrent;
using FossilSync.AspNetCore;
using FossilSync.Http;
using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Sync;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Server;

/// <summary><see cref="SyncServerOptions.ArtifactsStored"/>: the seam a host announces changes through.</summary>
public sealed class ArtifactsStoredHookTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_push_over_http_names_exactly_the_new_artifacts_once()
    {
        string served = _dir.File("served.fossil");
        StockRepositoryBuilder.Build(served, commits: 5, seed: 2101);
        StockFossil.Ok(_dir.Path, "user", "new", "alice", "", "secret", "-R", served);
        StockFossil.Ok(_dir.Path, "user", "capabilities", "alice", "oi", "-R", served);
        var calls = new ConcurrentQueue<SyncStoredArtifacts>();
        await using var server = await FossilSyncServer.StartAsync(served, "http://127.0.0.1:0", new SyncServerOptions { ArtifactsStored = calls.Enqueue });
        using var transport = new HttpTransport(server.Url);
        var (leaf, _) = await FossilClient.CloneAsync(transport, _dir.File("leaf.fossil"));
        calls.Should().BeEmpty("a clone stores nothing on the server");
        using (leaf)
        {
            string first = leaf.PutArtifact("first new artifact\n"u8);
            string second = leaf.PutArtifact("second new artifact\n"u8);
            var options = new SyncOptions { User = "alice", Password = "secret" };
            await FossilClient.SyncAsync(leaf, transport, options);
            await FossilClient.SyncAsync(leaf, transport, options);

            calls.Should().ContainSingle();
            calls.Single().Names.Should().BeEquivalentTo([first, second]);
            using var repository = Repository.Open(served);
            calls.Single().ProjectCode.Should().Be(repository.ProjectCode);
        }
    }
}
