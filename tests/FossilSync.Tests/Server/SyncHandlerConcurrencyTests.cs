using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Server;

public sealed class SyncHandlerConcurrencyTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_round_that_writes_while_another_writer_commits_lands_without_waiting_out_the_busy_timeout(bool carriesContent)
    {
        // Rounds without content start as readers so that no-op syncs run side by side. One that
        // then has to write (an igot of something unknown makes a phantom) while another
        // connection commits is refused the lock (waiting would deadlock): the handler must
        // run it again at once, not stall for the busy timeout and not fail.
        using var dir = new TempDirectory();
        string path = dir.File("served.fossil");
        var slow = new RepositoryOptions { BusyTimeout = TimeSpan.FromSeconds(60) };
        string projectCode;
        using (var setup = Repository.Create(path))
        {
            setup.Execute("UPDATE user SET cap='io' WHERE login='nobody'");
            projectCode = setup.GetConfig("project-code")!;
        }
        byte[] content = "pushed while another writer holds the lock\n"u8.ToArray();
        string hash = ArtifactHash.Compute(content, HashKind.Sha3_256);
        XferCard payload = carriesContent ? new FileCard(hash, null, content) : new IGotCard(hash);
        var request = new XferMessage(
        [
            new PragmaCard("client-version", "22100", "20230226", "192424"),
            new PushCard(new string('0', 40), projectCode),
            payload,
        ]);

        using var other = Repository.Open(path, slow);
        var writer = other.BeginTransaction();
        other.Execute("INSERT INTO config(name, value, mtime) VALUES('other-writer', 1, 0)");
        var round = Task.Run(() =>
        {
            using var served = Repository.Open(path, slow);
            return SyncHandler.HandleSyncAsync(served, request).GetAwaiter().GetResult();
        });
        await Task.Delay(300);
        var commit = Task.Run(() =>
        {
            writer.Commit();
            writer.Dispose();
        });
        // A guard against the stall (both sides waiting on each other until the 60 s busy
        // timeout), not a speed target.
        await Task.WhenAll(round, commit).WaitAsync(TimeSpan.FromSeconds(20));
        var reply = await round;

        reply.Cards.OfType<ErrorCard>().Should().BeEmpty();
        using var check = Repository.Open(path);
        if (carriesContent) check.GetArtifact(hash).Should().Equal(content);
        else
        {
            reply.Cards.OfType<GimmeCard>().Should().ContainSingle().Which.Hash.Should().Be(hash);
            check.Content.FindRid(hash).Should().NotBeNull("the phantom was written");
        }
        check.GetConfig("other-writer").Should().Be("1", "the other writer's commit is kept too");
    }
}
