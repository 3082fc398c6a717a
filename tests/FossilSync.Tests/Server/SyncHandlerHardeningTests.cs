using System.IO.Compression;
using System.Text;
using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Server;

/// <summary>
/// Hostile requests against the server's entry point, as bytes on the wire: a spliced login, memory
/// bombs, payloads from users who may not write them, hostile names, replayed rounds.
/// </summary>
public sealed class SyncHandlerHardeningTests : IDisposable
{
    private const string Admin = "alice", AdminPassword = "alice-secret";
    private readonly TempDirectory _dir = new();
    private readonly Repository _repository;
    private readonly string _projectCode;

    public SyncHandlerHardeningTests()
    {
        _repository = Repository.Create(_dir.File("served.fossil"));
        _repository.Execute("INSERT INTO user(login, pw, cap, info) VALUES($l, $p, 's', '')", ("$l", Admin), ("$p", AdminPassword));
        _repository.Execute("INSERT INTO user(login, pw, cap, info) VALUES('rita', 'rita-secret', 'o', '')");
        _projectCode = _repository.GetConfig("project-code")!;
    }

    public void Dispose()
    {
        _repository.Dispose();
        _dir.Dispose();
    }

    private static readonly string ServerCode = new('0', 40);

    [Fact]
    public async Task A_captured_admin_login_spliced_around_injected_cards_is_refused_and_changes_nothing()
    {
        // L + R: an admin's harmless pull, as captured on the wire.
        byte[] captured = XferLogin.EncodeSigned([ClientIdentity(), new PullCard(ServerCode, _projectCode)], Admin, AdminPassword, _projectCode);
        int loginEnd = Array.IndexOf(captured, (byte)'\n') + 1;
        byte[] login = captured[..loginEnd], rest = captured[loginEnd..];
        byte[] content = "injected by mallory\n"u8.ToArray();
        string hash = ArtifactHash.Compute(content, HashKind.Sha3_256);
        byte[] injected = new XferMessage(
        [
            new PushCard(ServerCode, _projectCode),
            new FileCard(hash, null, content),
            new ConfigCard("@user", Encoding.ASCII.GetBytes("1700000000 'mallory' pw 'x' cap 's'")),
        ]).Encode();
        long blobs = Count("blob"), users = Count("user");

        var reply = await SendAsync([.. login, .. injected, .. login, .. rest]);

        reply.Cards.OfType<ErrorCard>().Should().ContainSingle().Which.Message.Should().Be("login failed");
        reply.Cards.Should().NotContain(c => c is IGotCard || c is FileCard, "nothing is sent under a login that does not hold");
        Count("blob").Should().Be(blobs);
        Count("user").Should().Be(users, "no user is created by a spliced config card");
        _repository.Content.FindRid(hash).Should().BeNull();
    }

    [Fact]
    public async Task A_login_whose_nonce_does_not_cover_what_follows_is_refused()
    {
        byte[] signed = XferLogin.EncodeSigned([ClientIdentity(), new PushCard(ServerCode, _projectCode)], Admin, AdminPassword, _projectCode);
        byte[] content = "appended after signing\n"u8.ToArray();
        byte[] appended = new XferMessage([new FileCard(ArtifactHash.Compute(content, HashKind.Sha3_256), null, content)]).Encode();
        long blobs = Count("blob");

        var reply = await SendAsync([.. signed, .. appended]);

        reply.Cards.OfType<ErrorCard>().Should().ContainSingle().Which.Message.Should().Be("login failed");
        Count("blob").Should().Be(blobs);
    }

    [Fact]
    public async Task A_genuine_login_still_works_and_its_writes_are_kept()
    {
        byte[] content = "pushed by the admin\n"u8.ToArray();
        string hash = ArtifactHash.Compute(content, HashKind.Sha3_256);
        byte[] signed = XferLogin.EncodeSigned([ClientIdentity(), new PushCard(ServerCode, _projectCode), new FileCard(hash, null, content)], Admin, AdminPassword, _projectCode);

        var reply = await SendAsync(signed);

        reply.Cards.OfType<ErrorCard>().Should().BeEmpty();
        _repository.GetArtifact(hash).Should().Equal(content);
    }

    [Fact]
    public async Task A_user_who_may_not_write_is_told_so_even_when_the_refusal_comes_before_the_end_of_a_signed_message()
    {
        byte[] content = "a reader tries to push\n"u8.ToArray();
        string hash = ArtifactHash.Compute(content, HashKind.Sha3_256);
        // As stock's client syncs: pull and push, then a file. The reader may only pull.
        byte[] signed = XferLogin.EncodeSigned(
            [ClientIdentity(), new PullCard(ServerCode, _projectCode), new PushCard(ServerCode, _projectCode), new FileCard(hash, null, content), new IGotCard(hash)],
            "rita", "rita-secret", _projectCode);

        var reply = await SendAsync(signed);

        reply.Cards.OfType<ErrorCard>().Should().ContainSingle().Which.Message.Should().Be("not authorized to write");
        _repository.Content.FindRid(hash).Should().BeNull();
    }

    [Fact]
    public async Task A_file_card_from_nobody_is_refused_before_its_payload_is_read()
    {
        // The header claims 252 MiB, and only a few bytes follow: had the server read the payload
        // first, it would have answered that the message is truncated.
        byte[] body = Encoding.ASCII.GetBytes($"file {new string('a', 64)} {252 << 20}\nabc");

        var reply = await SendAsync(body);

        reply.Cards.OfType<ErrorCard>().Should().ContainSingle().Which.Message.Should().Be("not authorized to write");
    }

    [Fact]
    public async Task A_message_of_64_MiB_of_comment_lines_is_refused_without_holding_it()
    {
        byte[] plain = new byte[64 << 20];
        for (int i = 0; i < plain.Length; i += 2) { plain[i] = (byte)'#'; plain[i + 1] = (byte)'\n'; }
        byte[] wire = BlobCompression.Compress(plain, CompressionLevel.SmallestSize);
        plain = [];
        wire.Length.Should().BeLessThan(1 << 20, "the bomb is small on the wire");

        long before = GC.GetAllocatedBytesForCurrentThread();
        var pending = SyncHandler.HandleSyncAsync(_repository, new SyncRequest(wire, XferContentType.Compressed));
        pending.IsCompleted.Should().BeTrue("a request in memory is handled without waiting, so this thread's allocations are all of it");
        var response = await pending;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().BeLessThan(16 << 20, "comment lines are read past, not turned into cards");
        XferMessage.DecodeCompressed(response.Body).Cards.OfType<ErrorCard>().Should().ContainSingle()
            .Which.Message.Should().Contain("more than").And.Contain("cards", "past XferLimits.MaxCards lines the rest is not read");
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/passwd2")]
    [InlineData("dir/../../escape")]
    [InlineData("nul\0byte")]
    [InlineData("back\\slash")]
    [InlineData("trailing/")]
    public async Task An_unversioned_file_with_a_hostile_name_gets_an_error_card_and_is_not_stored(string name)
    {
        _repository.Execute("UPDATE user SET cap='oy' WHERE login='nobody'");
        byte[] content = "not a password file\n"u8.ToArray();
        string hash = ArtifactHash.Compute(content, HashKind.Sha3_256);
        byte[] body = [.. Encoding.UTF8.GetBytes($"uvfile {name} 1700000000 {hash} {content.Length} 0\n"), .. content];

        var reply = await SendAsync(body);

        reply.Cards.OfType<ErrorCard>().Should().ContainSingle().Which.Message.Should().Be("malformed uvfile line");
        _repository.Unversioned.List().Should().BeEmpty();
    }

    [Fact]
    public async Task A_replayed_signed_push_is_answered_like_the_first()
    {
        byte[] content = "pushed twice\n"u8.ToArray();
        string hash = ArtifactHash.Compute(content, HashKind.Sha3_256);
        byte[] signed = XferLogin.EncodeSigned([ClientIdentity(), new PushCard(ServerCode, _projectCode), new FileCard(hash, null, content)], Admin, AdminPassword, _projectCode);

        var first = await SendAsync(signed);
        var second = await SendAsync(signed);

        first.Cards.OfType<ErrorCard>().Should().BeEmpty();
        second.Cards.OfType<ErrorCard>().Should().BeEmpty("a retried round is not an error, as with stock");
        _repository.GetArtifact(hash).Should().Equal(content);
    }

    private long Count(string table) => _repository.Scalar<long>($"SELECT count(*) FROM {table}");

    private static PragmaCard ClientIdentity() => new("client-version", "22100", "20230226", "192424");

    private async Task<XferMessage> SendAsync(byte[] plainBody)
    {
        var response = await SyncHandler.HandleSyncAsync(_repository, new SyncRequest(plainBody, XferContentType.Uncompressed));
        return XferMessage.Decode(response.Body);
    }
}
