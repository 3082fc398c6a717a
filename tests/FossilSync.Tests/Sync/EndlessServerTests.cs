using System.Text;
using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Sync;
using FossilSync.Testing;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Sync;

/// <summary>Servers that keep a session going without delivering: it stops, and leaves nothing behind.</summary>
public sealed class EndlessServerTests
{
    private static string NewHash(int i) => ArtifactHash.Compute(Encoding.UTF8.GetBytes($"never delivered {i}\n"), HashKind.Sha3_256);

    [Fact]
    public async Task A_sync_whose_server_advertises_a_new_artifact_every_round_fails_and_leaves_no_phantoms()
    {
        using var dir = new TempDirectory();
        using var repository = Repository.Create(dir.File("r.fossil"));
        long blobsBefore = repository.Scalar<long>("SELECT count(*) FROM blob");
        int round = 0;
        var server = new MockTransport(_ => new XferMessage([new IGotCard(NewHash(Interlocked.Increment(ref round)))]));

        var act = () => FossilClient.SyncAsync(repository, server, new SyncOptions { Push = false });
        (await act.Should().ThrowAsync<SyncProtocolException>()).WithMessage("*did not converge*");

        server.Requests.Should().HaveCount(100, "the session ran to its round limit");
        repository.Scalar<long>("SELECT count(*) FROM phantom").Should().Be(0);
        repository.Scalar<long>("SELECT count(*) FROM blob").Should().Be(blobsBefore);
        repository.Scalar<long>("SELECT count(*) FROM unclustered WHERE rid NOT IN (SELECT rid FROM blob)").Should().Be(0);
        repository.Verify().IsOk.Should().BeTrue();
    }

    [Fact]
    public async Task A_failed_sync_keeps_a_phantom_that_a_stored_delta_needs()
    {
        byte[] source = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("the source of a delta\n", 30)));
        byte[] target = [.. source, .. "and one more line\n"u8];
        string sourceHash = ArtifactHash.Compute(source, HashKind.Sha3_256), targetHash = ArtifactHash.Compute(target, HashKind.Sha3_256);
        using var dir = new TempDirectory();
        using var repository = Repository.Create(dir.File("r.fossil"));
        int round = 0;
        var server = new MockTransport(_ => Interlocked.Increment(ref round) switch
        {
            // Advertises the source, then sends only a delta against it, then advertises forever.
            1 => new XferMessage([new IGotCard(sourceHash)]),
            2 => new XferMessage([new FileCard(targetHash, sourceHash, FossilDelta.Create(source, target))]),
            var n => new XferMessage([new IGotCard(NewHash(n))]),
        });

        var act = () => FossilClient.SyncAsync(repository, server, new SyncOptions { Push = false, MaxRounds = 20 });
        await act.Should().ThrowAsync<SyncProtocolException>();

        repository.Scalar<long>("SELECT count(*) FROM blob WHERE uuid=$u AND size>=0", ("$u", targetHash)).Should().Be(1, "the delta was stored");
        repository.Names(NameLists.Phantoms(100, includePrivate: false)).Should().Equal(sourceHash);
    }

    [Fact]
    public async Task A_clone_whose_server_moves_its_sequence_on_forever_without_sending_anything_stops_for_lack_of_progress()
    {
        using var dir = new TempDirectory();
        var server = new MockTransport(request =>
        {
            long asked = request.Cards.OfType<CloneCard>().Single().SequenceNumber ?? 1;
            return new XferMessage([new PushCard(new string('1', 40), new string('2', 40)), new CloneSeqnoCard(asked + 1)]);
        });
        string path = dir.File("endless.fossil");

        var act = () => FossilClient.CloneAsync(server, path);
        (await act.Should().ThrowAsync<SyncProtocolException>()).WithMessage("*no progress*rounds in a row*");

        server.Requests.Count.Should().BeLessThanOrEqualTo(CloneSession.RoundsWithoutProgress + 2, "one request may already be in flight");
        Directory.GetFiles(dir.Path).Should().BeEmpty();
    }
}
