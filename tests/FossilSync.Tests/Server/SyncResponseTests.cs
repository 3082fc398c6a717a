using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Server;

/// <summary>A clone page's reply, encoded only when it is sent: written, read or copied, it is the same bytes.</summary>
public sealed class SyncResponseTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _served;

    public SyncResponseTests()
    {
        _served = _dir.File("served.fossil");
        StockRepositoryBuilder.Build(_served, commits: 12, seed: 5);
    }

    public void Dispose() => _dir.Dispose();

    private async Task<SyncResponse> ClonePageAsync(Repository repository)
    {
        byte[] request = new XferMessage([CraftedRequest.ClientVersion, new CloneCard(3, 1)]).Encode();
        return await SyncHandler.HandleSyncAsync(repository, new SyncRequest(request, XferContentType.Uncompressed));
    }

    [Fact]
    public async Task A_clone_page_written_to_a_stream_is_the_body_it_would_have_read()
    {
        using var repository = Repository.Open(_served);
        byte[] read = (await ClonePageAsync(repository)).Body;
        XferMessage.Decode(read).Cards.OfType<CFileCard>().Should().NotBeEmpty("the page must carry artifacts");

        var written = await ClonePageAsync(repository);
        written.ContentType.Should().Be(XferContentType.Uncompressed);
        written.Length.Should().Be(read.Length, "the Content-Length is told before the body is encoded");
        var stream = new MemoryStream();
        await written.WriteToAsync(stream);

        stream.ToArray().Should().Equal(read);
    }

    [Fact]
    public async Task A_clone_page_is_encoded_once_but_a_body_read_first_is_kept()
    {
        using var repository = Repository.Open(_served);
        var written = await ClonePageAsync(repository);
        await written.WriteToAsync(Stream.Null);
        written.Invoking(r => r.Body).Should().Throw<InvalidOperationException>().WithMessage("*WriteToAsync*");
        await written.Awaiting(r => r.WriteToAsync(Stream.Null)).Should().ThrowAsync<InvalidOperationException>();

        var kept = await ClonePageAsync(repository);
        byte[] body = kept.Body;
        var first = new MemoryStream();
        var second = new MemoryStream();
        await kept.WriteToAsync(first);
        await kept.WriteToAsync(second);
        first.ToArray().Should().Equal(body);
        second.ToArray().Should().Equal(body);
    }

    [Fact]
    public async Task A_copy_of_a_clone_page_has_its_own_encoded_body()
    {
        using var repository = Repository.Open(_served);
        var original = await ClonePageAsync(repository);
        var copy = original with { ContentType = XferContentType.Uncompressed };
        var written = new MemoryStream();
        await original.WriteToAsync(written);

        copy.Body.Should().Equal(written.ToArray());
        copy.Length.Should().Be(written.Length);
    }
}
