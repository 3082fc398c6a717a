using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Sync;
using FossilSync.Testing;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Sync;

public sealed class HostileUnversionedNameTests
{
    [Theory]
    [InlineData("../../etc/passwd", false)]
    [InlineData("/etc/passwd2", false)]
    [InlineData("nul\0byte", true)]
    public async Task A_server_naming_an_unversioned_file_outside_the_repository_fails_the_sync_with_a_protocol_error(string name, bool sendContent)
    {
        using var dir = new TempDirectory();
        using var repository = Repository.Create(dir.File("client.fossil"));
        byte[] content = "hostile\n"u8.ToArray();
        string hash = ArtifactHash.Compute(content, HashKind.Sha3_256);
        XferCard hostile = sendContent
            ? new UvFileCard(name, 1_700_000_000, hash, content.Length, 0, content)
            : new UvIGotCard(name, 1_700_000_000, hash, content.Length);
        var transport = new MockTransport(_ => new XferMessage([new PragmaCard("uv-pull-only"), hostile]));

        var sync = () => FossilClient.SyncAsync(repository, transport, new SyncOptions { Push = false, Unversioned = true });

        (await sync.Should().ThrowAsync<SyncProtocolException>()).Which.Message.Should().Contain("invalid name").And.NotContain("\0");
        repository.Unversioned.List().Should().BeEmpty();
    }
}
