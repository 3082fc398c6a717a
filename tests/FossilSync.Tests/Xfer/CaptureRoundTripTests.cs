using FossilSync.Xfer;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Xfer;

public sealed class CaptureRoundTripTests
{
    public static TheoryData<string> Bodies => new(CaptureFiles.DecompressedBodies().Select(CaptureFiles.Relative));

    public static TheoryData<string> Wires => new(CaptureFiles.WireFiles().Select(CaptureFiles.Relative));

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Every_captured_message_decodes_and_re_encodes_byte_for_byte(string capture)
    {
        var (_, body) = CaptureFiles.Split(Path.Combine(TestCaptures.CapturesDirectory, capture));
        var message = XferMessage.Decode(body);
        message.Cards.Should().NotBeEmpty();
        message.Cards.OfType<UnknownCard>().Where(u => !u.IsBlank).Should().BeEmpty("stock never sends a card we do not know");
        message.Encode().Should().Equal(body);
    }

    [Theory]
    [MemberData(nameof(Wires))]
    public async Task Every_wire_body_streams_to_the_same_cards_as_its_decompressed_text(string capture)
    {
        string wire = Path.Combine(TestCaptures.CapturesDirectory, capture);
        var (header, body) = CaptureFiles.Split(wire);
        var (_, plain) = CaptureFiles.Split(wire.Replace(".wire", ".txt"));
        string contentType = CaptureFiles.ContentType(header);
        // Framing from the Content-Type, never guessed.
        bool compressed = contentType == "application/x-fossil";
        var streamed = await XferMessage.ReadAsync(new MemoryStream(body), compressed);
        streamed.Encode().Should().Equal(plain);
    }

    [Fact]
    public void The_captured_login_card_is_recomputed_exactly()
    {
        var (_, body) = CaptureFiles.Split(Path.Combine(TestCaptures.CapturesDirectory, "sync-pull", "02-request.txt"));
        int firstLineEnd = Array.IndexOf(body, (byte)'\n') + 1;
        var login = (LoginCard)XferMessage.Decode(body).Cards[0];
        const string projectCode = "dc57bf53fb4004859b689d516bd5b8976a29761c";

        XferLogin.Nonce(body.AsSpan(firstLineEnd)).Should().Be(login.Nonce);
        XferLogin.Sign(login.Nonce, XferLogin.Secret(projectCode, "alice", "secret")).Should().Be(login.Signature);
        XferLogin.Verify(login.Nonce, login.Signature, projectCode, "alice", "secret").Should().BeTrue("cleartext, as fossil new stores it");
        XferLogin.Verify(login.Nonce, login.Signature, projectCode, "alice", XferLogin.Secret(projectCode, "alice", "secret")).Should().BeTrue("the 40-hex secret, as fossil user password stores it");
        XferLogin.Verify(login.Nonce, login.Signature, projectCode, "alice", "wrong").Should().BeFalse();

        using var reader = XferReader.FromMemory(body);
        while (reader.ReadCard() is not null) { }
        reader.NonceOfRest.Should().Be(login.Nonce, "the reader hashes what follows the login line for the server");

        var rest = XferMessage.Decode(body.AsMemory(firstLineEnd)).Cards;
        XferLogin.EncodeSigned(rest, "alice", "secret", projectCode).Should().Equal(body, "signing the same cards reproduces the captured request");
    }
}
