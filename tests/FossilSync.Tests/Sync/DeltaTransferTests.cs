using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Sync;
using FossilSync.Testing;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Sync;

/// <summary>
/// Push and pull send an artifact as a delta of its parent, as stock does, and the receiving
/// side expands it to the same content.
/// </summary>
public sealed class DeltaTransferTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Pull_and_push_carry_new_check_ins_as_deltas_of_their_parents()
    {
        string served = _dir.File("served.fossil"), clonePath = _dir.File("clone.fossil");
        StockRepositoryBuilder.Build(served, commits: 30, seed: 5);
        StockFossil.Ok(_dir.Path, "user", "new", "alice", "", "secret", "-R", served);
        StockFossil.Ok(_dir.Path, "user", "capabilities", "alice", "oi", "-R", served);
        var replies = new List<XferMessage>();
        MockTransport Transport() => new(request =>
        {
            using var repository = Repository.Open(served);
            var reply = SyncHandler.HandleSyncAsync(repository, request).GetAwaiter().GetResult();
            replies.Add(reply);
            return reply;
        });
        (await FossilClient.CloneAsync(Transport(), clonePath, new CloneOptions { User = "alice", Password = "secret" })).Repository.Dispose();

        StockFossil.CommitInCheckout(served, Path.Combine(_dir.Path, "w1"), "new-on-server.txt", "pulled\n", "made on the server", "alice");
        replies.Clear();
        using (var clone = Repository.Open(clonePath))
        {
            await FossilClient.SyncAsync(clone, Transport(), new SyncOptions { Push = false });
        }
        replies.SelectMany(r => r.Cards).OfType<FileCard>().Should().Contain(f => f.DeltaSource != null, "the new manifest travels as a delta of its parent");

        StockFossil.CommitInCheckout(clonePath, Path.Combine(_dir.Path, "w2"), "new-in-clone.txt", "pushed\n", "made in the clone", "alice");
        var push = Transport();
        using (var clone = Repository.Open(clonePath))
        {
            await FossilClient.SyncAsync(clone, push, new SyncOptions { Pull = false, User = "alice", Password = "secret" });
        }
        push.Requests.SelectMany(r => r.Cards).OfType<FileCard>().Should().Contain(f => f.DeltaSource != null, "the new manifest travels as a delta of its parent");

        foreach (string repository in new[] { served, clonePath })
        {
            StockFossil.Run(_dir.Path, "test-integrity", "-R", repository).IntegrityOk.Should().BeTrue();
            StockFossil.Ok(_dir.Path, "timeline", "-n", "2", "-t", "ci", "-R", repository).Should().Contain("made in the clone").And.Contain("made on the server");
        }
    }
}
