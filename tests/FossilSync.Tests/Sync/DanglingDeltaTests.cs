using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Sync;
using FossilSync.Testing;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Sync;

/// <summary>
/// Deltas stored before their source (found by the simulator): a wrong one is found when the
/// source comes, dropped and fetched again; one that can never be expanded ends no session.
/// </summary>
public sealed class DanglingDeltaTests
{
    private static readonly byte[] Source = "the source of a delta, long enough to be worth it\n"u8.ToArray();
    private static readonly byte[] Target = [.. Source, .. "and a tail\n"u8];
    private static readonly string SourceHash = ArtifactHash.Compute(Source, HashKind.Sha3_256);
    private static readonly string TargetHash = ArtifactHash.Compute(Target, HashKind.Sha3_256);

    [Fact]
    public async Task A_wrong_delta_from_an_earlier_session_is_refetched_when_its_source_arrives()
    {
        using var dir = new TempDirectory();
        using var repository = Repository.Create(dir.File("r.fossil"));
        byte[] damaged = FossilDelta.Create(Source, [.. Source, .. "and a tale\n"u8]);
        bool sourceKnown = false;
        var server = new MockTransport(request =>
        {
            var asked = request.Cards.OfType<GimmeCard>().Select(g => g.Hash).ToHashSet();
            var reply = new List<XferCard>();
            // The delta, damaged on the way, while the client lacks its source; the whole artifact once it has it.
            if (asked.Contains(TargetHash)) reply.Add(repository.HasArtifact(SourceHash) ? new FileCard(TargetHash, null, Target) : new FileCard(TargetHash, SourceHash, damaged));
            // The first session cannot deliver the source.
            if (asked.Contains(SourceHash) && sourceKnown) reply.Add(new FileCard(SourceHash, null, Source));
            if (asked.Count == 0) reply.Add(new IGotCard(TargetHash));
            return new XferMessage(reply);
        });
        await FossilClient.SyncAsync(repository, server, new SyncOptions { Push = false });
        repository.Content.IsPhantom(repository.Content.FindRid(SourceHash)!.Value).Should().BeTrue("the wrong delta waits on its source");
        sourceKnown = true;

        await FossilClient.SyncAsync(repository, server, new SyncOptions { Push = false });

        repository.GetArtifact(SourceHash).Should().Equal(Source);
        repository.GetArtifact(TargetHash).Should().Equal(Target, "the wrong delta was dropped and fetched again");
        repository.Scalar<long>("SELECT count(*) FROM phantom").Should().Be(0);
        repository.Verify().IsOk.Should().BeTrue();
    }

    [Fact]
    public async Task A_gimme_for_a_delta_whose_source_never_came_ends_the_session()
    {
        using var dir = new TempDirectory();
        using var repository = Repository.Create(dir.File("r.fossil"));
        using (var transaction = repository.BeginTransaction())
        {
            repository.Content.PutDelta(TargetHash, SourceHash, FossilDelta.Create(Source, Target), new StoreOptions());
            transaction.Commit();
        }
        // A server that lacks the delta's target and asks for it in every round.
        var server = new MockTransport(_ => new XferMessage([new GimmeCard(TargetHash)]));

        var result = await FossilClient.SyncAsync(repository, server, new SyncOptions());

        server.Requests.Should().HaveCountLessThan(3, "what cannot be sent keeps no session going");
        server.Requests.SelectMany(r => r.Cards).OfType<IGotCard>().Should().NotContain(i => i.Hash == TargetHash, "a dangling delta is not advertised");
        server.Requests.SelectMany(r => r.Cards).OfType<FileCard>().Should().BeEmpty();
        result.Rounds.Should().BeLessThan(3);
    }
}
