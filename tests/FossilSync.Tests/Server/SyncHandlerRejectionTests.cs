using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Server;

public sealed class SyncHandlerRejectionTests
{
    [Fact]
    public async Task A_pushed_delta_that_expands_to_something_else_than_its_name_gets_an_error_card_and_nothing_is_kept()
    {
        using var dir = new TempDirectory();
        using var repository = Repository.Create(dir.File("served.fossil"));
        // Anyone may push here: the test is about content, not credentials.
        repository.Execute("UPDATE user SET cap='io' WHERE login='nobody'");
        string projectCode = repository.GetConfig("project-code")!;
        long blobsBefore = repository.Scalar<long>("SELECT count(*) FROM blob");
        byte[] source = "the source of a delta, long enough to be worth it\n"u8.ToArray();
        byte[] target = [.. source, .. "and a tail\n"u8];
        string sourceHash = ArtifactHash.Compute(source, HashKind.Sha3_256);
        string claimed = ArtifactHash.Compute("not what the delta gives\n"u8, HashKind.Sha3_256);
        var request = new XferMessage(
        [
            new PragmaCard("client-version", "22100", "20230226", "192424"),
            new PushCard(new string('0', 40), projectCode),
            // The delta first, while its source is unknown; the source then completes it.
            new FileCard(claimed, sourceHash, FossilDelta.Create(source, target)),
            new FileCard(sourceHash, null, source),
        ]);

        var reply = await SyncHandler.HandleSyncAsync(repository, request);

        reply.Cards.OfType<ErrorCard>().Should().ContainSingle().Which.Message.Should().Contain("do not hash to their names").And.Contain(claimed);
        repository.Scalar<long>("SELECT count(*) FROM blob").Should().Be(blobsBefore, "nothing of that round is kept, not even the good source");
        repository.Verify().IsOk.Should().BeTrue();
    }

    [Fact]
    public async Task A_wrong_delta_kept_from_an_earlier_push_is_dropped_and_asked_for_again_when_its_source_comes()
    {
        using var dir = new TempDirectory();
        using var repository = Repository.Create(dir.File("served.fossil"));
        repository.Execute("UPDATE user SET cap='io' WHERE login='nobody'");
        string projectCode = repository.GetConfig("project-code")!;
        byte[] source = "the source of a delta, long enough to be worth it\n"u8.ToArray();
        byte[] target = [.. source, .. "and a tail\n"u8];
        string sourceHash = ArtifactHash.Compute(source, HashKind.Sha3_256);
        string claimed = ArtifactHash.Compute("not what the delta gives\n"u8, HashKind.Sha3_256);
        XferMessage Push(params XferCard[] cards) =>
            new([new PragmaCard("client-version", "22100", "20230226", "192424"), new PushCard(new string('0', 40), projectCode), .. cards]);
        // Its source unknown, the delta cannot be checked: it is kept, waiting on a phantom.
        var first = await SyncHandler.HandleSyncAsync(repository, Push(new FileCard(claimed, sourceHash, FossilDelta.Create(source, target))));
        first.Cards.OfType<ErrorCard>().Should().BeEmpty();

        var second = await SyncHandler.HandleSyncAsync(repository, Push(new FileCard(sourceHash, null, source)));

        second.Cards.OfType<ErrorCard>().Should().BeEmpty("this round's content is right; the wrong delta came before it");
        repository.GetArtifact(sourceHash).Should().Equal(source);
        repository.HasArtifact(claimed).Should().BeFalse("nothing that does not hash to its name stays");
        second.Cards.OfType<GimmeCard>().Select(g => g.Hash).Should().Contain(claimed, "it is asked for anew");
        repository.Verify().IsOk.Should().BeTrue();
    }
}
