using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Server;

/// <summary>
/// Deltas that are their own source, or close a cycle, can never be expanded: a push of them is
/// refused at once (an error card, nothing kept), after a few links of work, not after walking
/// a cycle until some large bound; and a writer kept waiting gets an answer, not an HTTP 500.
/// </summary>
public sealed class DeltaCycleTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _path;
    private readonly string _projectCode;

    public DeltaCycleTests()
    {
        _path = _dir.File("served.fossil");
        using var setup = Repository.Create(_path);
        setup.Execute("UPDATE user SET cap='io' WHERE login='nobody'");
        _projectCode = setup.GetConfig("project-code")!;
    }

    public void Dispose() => _dir.Dispose();

    private static byte[] Text(int i, string what) => System.Text.Encoding.ASCII.GetBytes($"artifact {i} ({what}), long enough for a delta to be worth making\n");

    private static string Name(byte[] content) => ArtifactHash.Compute(content, HashKind.Sha3_256);

    private XferMessage Push(IEnumerable<XferCard> files) => new(
    [
        new PragmaCard("client-version", "22100", "20230226", "192424"),
        new PushCard(new string('0', 40), _projectCode),
        .. files,
    ]);

    // Twenty self-deltas: file H H.
    private static IEnumerable<XferCard> SelfDeltas() => Enumerable.Range(0, 20).Select(i =>
    {
        byte[] target = Text(i, "self");
        return new FileCard(Name(target), Name(target), FossilDelta.Create(Text(i, "other"), target));
    });

    // Rings of two and three: A against B, B against C, C against A.
    private static IEnumerable<XferCard> Rings()
    {
        for (int ring = 0; ring < 8; ring++)
        {
            int size = 2 + ring % 2;
            var members = Enumerable.Range(0, size).Select(k => Text(ring * 10 + k, "ring")).ToArray();
            for (int k = 0; k < size; k++)
            {
                byte[] source = members[(k + 1) % size];
                yield return new FileCard(Name(members[k]), Name(source), FossilDelta.Create(source, members[k]));
            }
        }
    }

    [Theory]
    [InlineData("self", "against itself")]
    [InlineData("rings", "delta cycle")]
    public async Task A_flood_of_deltas_that_cannot_end_is_refused_after_a_few_links_and_nothing_is_kept(string kind, string reason)
    {
        using var repository = Repository.Open(_path);
        long blobs = repository.Scalar<long>("SELECT count(*) FROM blob");
        var request = Push(kind == "self" ? SelfDeltas() : Rings());
        request.Encode().Length.Should().BeLessThan(4096, "a small request");

        var reply = await SyncHandler.HandleSyncAsync(repository, request);

        reply.Cards.OfType<ErrorCard>().Should().ContainSingle().Which.Message.Should().Contain(reason);
        repository.Scalar<long>("SELECT count(*) FROM blob").Should().Be(blobs, "nothing of the round is kept");
        repository.Scalar<long>("SELECT count(*) FROM delta").Should().Be(0);
        // The work is bounded by the request's links, not by how far a cycle can be followed.
        repository.Content.LinksWalked.Should().BeLessThan(100);
        repository.Verify().IsOk.Should().BeTrue();
    }

    [Fact]
    public async Task A_ring_pushed_across_two_rounds_is_refused_when_it_would_close()
    {
        using var repository = Repository.Open(_path);
        byte[] a = Text(1, "a"), b = Text(2, "b");
        (await SyncHandler.HandleSyncAsync(repository, Push([new FileCard(Name(a), Name(b), FossilDelta.Create(b, a))])))
            .Cards.OfType<ErrorCard>().Should().BeEmpty("a delta waiting for its source is kept");

        var reply = await SyncHandler.HandleSyncAsync(repository, Push([new FileCard(Name(b), Name(a), FossilDelta.Create(a, b))]));

        reply.Cards.OfType<ErrorCard>().Should().ContainSingle().Which.Message.Should().Contain("delta cycle");
        repository.Content.IsPhantom(repository.Content.FindRid(Name(b))!.Value).Should().BeTrue("the source is still wanted");
        repository.Content.LinksWalked.Should().BeLessThan(100);
    }

    [Fact]
    public async Task A_push_kept_waiting_past_the_busy_timeout_gets_an_error_card_and_lands_when_tried_again()
    {
        byte[] content = "pushed while another writer holds the repository\n"u8.ToArray();
        var request = Push([new FileCard(Name(content), null, content)]);
        var quick = new RepositoryOptions { BusyTimeout = TimeSpan.FromMilliseconds(200) };
        using var other = Repository.Open(_path);
        XferMessage reply;
        using (var writer = other.BeginTransaction())
        {
            other.Execute("INSERT INTO config(name, value, mtime) VALUES('other-writer', 1, 0)");
            using var served = Repository.Open(_path, quick);
            reply = await SyncHandler.HandleSyncAsync(served, request);
            writer.Commit();
        }
        reply.Cards.OfType<ErrorCard>().Should().ContainSingle().Which.Message.Should().Contain("busy");

        using (var served = Repository.Open(_path, quick))
        {
            (await SyncHandler.HandleSyncAsync(served, request)).Cards.OfType<ErrorCard>().Should().BeEmpty();
            served.GetArtifact(Name(content)).Should().Equal(content);
            served.GetConfig("other-writer").Should().Be("1");
        }
    }
}
