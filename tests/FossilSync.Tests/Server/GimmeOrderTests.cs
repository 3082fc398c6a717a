using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Server;

/// <summary>
/// A pull's gimmes are answered in the order asked, but expanded newest first through the
/// round's window: versions of a large file stored as reverse deltas then cost one delta step
/// each, whatever order the client asked in.
/// </summary>
public sealed class GimmeOrderTests
{
    // More than the round's window holds: asked oldest first and expanded in that order, the
    // versions made on the way down are evicted before they are asked for.
    private const int Versions = 12;

    [Theory]
    [InlineData("oldest first")]
    [InlineData("shuffled")]
    public async Task Versions_asked_in_any_order_go_out_in_that_order_each_one_step_from_the_one_before(string order)
    {
        using var dir = new TempDirectory();
        using var repository = Repository.Create(dir.File("served.fossil"), new RepositoryOptions { Random = new Random(7), InitialCheckIn = false });
        repository.Execute("UPDATE user SET cap='io' WHERE login='nobody'");
        string projectCode = repository.GetConfig("project-code")!;
        var names = LargeFileVersions.Store(repository, Versions, 4 * 1024 * 1024);
        var shuffle = new Random(5);
        var asked = order == "shuffled" ? [.. names.OrderBy(_ => shuffle.Next())] : names;
        long before = repository.Content.LinksWalked;

        var reply = await SyncHandler.HandleSyncAsync(repository, new XferMessage(
        [
            new PragmaCard("client-version", "22100", "20230226", "192424"),
            new PullCard(new string('0', 40), projectCode),
            .. asked.Select(h => new GimmeCard(h)),
        ]), new SyncServerOptions { MaxDownload = int.MaxValue });

        reply.Cards.OfType<ErrorCard>().Should().BeEmpty();
        reply.Cards.OfType<FileCard>().Select(f => f.Hash).Should().Equal(asked, "the reply keeps the order the client asked in");
        repository.Content.LinksWalked.Should().Be(before + Versions - 1,
            "newest first, each older version is one delta from the one expanded before it, which the round keeps however large");
    }
}
