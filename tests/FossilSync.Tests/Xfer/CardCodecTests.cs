using System.Text;
using FossilSync.Primitives;
using FossilSync.Xfer;

namespace FossilSync.Tests.Xfer;

public sealed class CardCodecTests
{
    private const string H1 = "79d24454e81c08f0216dba53b2465c45d526fbf0998c9974760c239f71c42cbd";
    private const string H2 = "a9993e364706816aba3e25717850c26c9cd0d89d";

    public static TheoryData<string, string> Lines => new()
    {
        { "login", "login alice\\sb 1e92d31da52a20a1e5b912a5f6123d7ca8c01207 d8dc73097ab624fb08535682f22458d54ba3ca31\n" },
        { "push", $"push 4511c6a07964347a38094390cb489f1b97a7f61a {H2}\n" },
        { "pull", $"pull 4511c6a07964347a38094390cb489f1b97a7f61a {H1}\n" },
        { "clone", "clone\n" },
        { "clone v3", "clone 3 1\n" },
        { "clone_seqno", "clone_seqno 0\n" },
        { "igot", $"igot {H1}\n" },
        { "igot private", $"igot {H1} 1\n" },
        { "gimme", $"gimme {H2}\n" },
        { "cookie", "cookie abc\n" },
        { "private", "private\n" },
        { "reqconfig", "reqconfig /all\n" },
        { "uvigot", $"uvigot docs/readme.txt 1795568215 {H2} 28\n" },
        { "uvigot deleted", "uvigot docs/gone.txt 1795568336 - 0\n" },
        { "uvgimme", "uvgimme docs/readme.txt\n" },
        { "pragma", "pragma client-version 22100 20230226 192424\n" },
        { "pragma bare", "pragma send-private\n" },
        { "error", "error login\\sfailed\n" },
        { "message", "message pull\\sonly\\s-\\snot\\sauthorized\\sto\\spush\n" },
        { "comment", "# timestamp 2026-11-25T00:57:19 errors 0\n" },
        { "file", $"file {H2} 5\nhello" },
        { "file delta", $"file {H1} {H2} 4\nb5\n;" },
        { "cfile", $"cfile {H2} 5 {BlobCompression.Compress("hello"u8).Length}\n{Latin(BlobCompression.Compress("hello"u8))}\n" },
        { "config", "config /config 38\n1795568215 'project-name' value 'demo'\n" },
        { "uvfile", $"uvfile notes/uv2.txt 1795568329 {H2} 14 0\nnew uv content" },
        { "uvfile deleted", "uvfile docs/readme.txt 1795568336 - 0 1\n" },
        { "uvfile content omitted", $"uvfile notes/x 1795568329 {H2} 14 4\n" },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void Each_card_decodes_and_encodes_back_to_the_same_bytes(string kind, string wire)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(wire);
        var cards = XferMessage.Decode(bytes).Cards;
        cards.Should().ContainSingle(kind);
        cards[0].Should().NotBeOfType<UnknownCard>();
        new XferMessage(cards).Encode().Should().Equal(bytes);
    }

    [Fact]
    public void Free_text_is_unescaped_on_decode_and_escaped_on_encode()
    {
        var cards = XferMessage.Decode("login alice\\sb n s\nerror login\\sfailed\nmessage a\\\\b\n"u8.ToArray()).Cards;
        cards.Should().Equal(new LoginCard("alice b", "n", "s"), new ErrorCard("login failed"), new MessageCard("a\\b"));
        XferWriter.LineOf(new ErrorCard("not authorized to write")).Should().Be("error not\\sauthorized\\sto\\swrite");
    }

    [Fact]
    public void Payload_cards_carry_their_exact_bytes()
    {
        byte[] binary = [0, 10, 13, 255, (byte)'\n'];
        var message = new XferMessage([new FileCard(H2, null, binary), new IGotCard(H1), new CFileCard(H1, H2, 2470, BlobCompression.Compress("x\n"u8))]);
        var back = XferMessage.Decode(message.Encode()).Cards;
        ((FileCard)back[0]).Content.ToArray().Should().Equal(binary);
        back[1].Should().Be(new IGotCard(H1));
        ((CFileCard)back[2]).UncompressedSize.Should().Be(2470);
        back.Should().HaveCount(3, "no blank line may appear between cards");
    }

    [Fact]
    public void A_line_as_text_is_the_line_written_without_its_newline()
    {
        XferCard[] cards = [new IGotCard(H1), new IGotCard(H2, IsPrivate: true), new GimmeCard(H1), new CloneSeqnoCard(7)];
        foreach (var card in cards)
        {
            XferWriter.LineOf(card).Should().Be(Encoding.UTF8.GetString(new XferMessage([card]).Encode()).TrimEnd('\n'));
        }
        XferWriter.LineOf(new IGotCard(H2, IsPrivate: true)).Should().Be($"igot {H2} 1");
    }

    [Fact]
    public void A_payload_card_line_longer_than_the_short_line_buffer_is_written_whole()
    {
        // Names this long are no hash, but an encoder must not cut or drop them.
        string name = new('a', 1500), source = new('b', 3000);
        var body = new XferMessage([new FileCard(name, source, "xy"u8.ToArray()), new CFileCard(source, null, 7, "z"u8.ToArray())]).Encode();
        Encoding.ASCII.GetString(body).Should().Be($"file {name} {source} 2\nxycfile {source} 7 1\nz\n");
    }

    [Theory]
    [InlineData(null, "payload without a newline")]
    [InlineData(H2, "payload ending in one\n")]
    [InlineData(H2, "")]
    public void A_clone_page_cfile_of_stored_bytes_is_written_exactly_as_a_cfile(string? source, string payload)
    {
        byte[] stored = Encoding.UTF8.GetBytes(payload);
        var asCard = new XferMessage([new CFileCard(H1, source, 4711, stored)]).Encode();
        var asBytes = new XferMessage([new StoredCFileCard(Encoding.UTF8.GetBytes(H1), Encoding.UTF8.GetBytes(source ?? ""), 4711, stored)]).Encode();

        Encoding.UTF8.GetString(asBytes).Should().Be(Encoding.UTF8.GetString(asCard));
        XferMessage.Decode(asBytes).Cards.Should().ContainSingle().Which.Should().BeOfType<CFileCard>()
            .Which.Should().Match<CFileCard>(c => c.Hash == H1 && c.DeltaSource == source && c.UncompressedSize == 4711);
    }

    [Fact]
    public async Task A_message_streamed_with_its_large_artifacts_lent_is_the_message_encoded()
    {
        // Sizes on both sides of the size from which an artifact is written from its own memory.
        byte[] Bytes(int length, byte last)
        {
            var bytes = new byte[length];
            new Random(length).NextBytes(bytes);
            bytes[^1] = last;
            return bytes;
        }
        var message = new XferMessage([
            new CloneSeqnoCard(7),
            new CFileCard(H1, null, 10, Bytes(100, (byte)'x')),
            new CFileCard(H1, H2, 500_000, Bytes(16 * 1024, (byte)'\n')),
            new StoredCFileCard(Encoding.UTF8.GetBytes(H2), Encoding.UTF8.GetBytes(H1), 9, Bytes(16 * 1024 - 1, (byte)'y')),
            new StoredCFileCard(Encoding.UTF8.GetBytes(H2), default, 3_000_000, Bytes(300_000, (byte)'z')),
            new FileCard(H2, null, Bytes(70_000, (byte)'\n')),
            new IGotCard(H1),
            new CFileCard(H2, null, 1, Bytes(200_000, (byte)'\n')),
            new FileCard(H1, H2, Bytes(20, (byte)'w')),
        ]);

        var streamed = new MemoryStream();
        await message.WriteToAsync(streamed, CancellationToken.None);

        streamed.ToArray().Should().Equal(message.Encode());
    }

    [Fact]
    public void Only_the_first_six_tokens_count_and_cr_is_whitespace()
    {
        var card = (PragmaCard)XferMessage.Decode("pragma a b c d e f g\r\n"u8.ToArray()).Cards.Single();
        card.Name.Should().Be("a");
        card.Arguments.Should().Equal("b", "c", "d", "e");
    }

    [Fact]
    public void Cards_stock_would_not_recognise_are_kept_as_unknown_lines()
    {
        var cards = XferMessage.Decode(Encoding.ASCII.GetBytes($"igot {H1.ToUpperInvariant()}\ngimme\nerror two words\nbogus card\n\n")).Cards;
        cards.Should().AllBeOfType<UnknownCard>();
        cards.Select(c => ((UnknownCard)c).Line).Should().Equal($"igot {H1.ToUpperInvariant()}", "gimme", "error two words", "bogus card", "");
        ((UnknownCard)cards[^1]).IsBlank.Should().BeTrue();
    }

    [Theory]
    [InlineData("file abc 5\nhello", 1, "lowercase artifact hashes")]
    [InlineData("igot " + H1 + "\nfile " + H1 + " 99999999999\n", 2, "exceeds the limit")]
    [InlineData("file " + H2 + " 1000000\nshort", 1, "ends after 5 of the 1000000")]
    [InlineData("# ok\ncfile " + H2 + " 5\nxx", 2, "cfile card is")]
    [InlineData("config /config\n", 1, "config card is")]
    [InlineData("uvfile a b - 0 1\n", 1, "uvfile card is")]
    [InlineData("file " + H2 + " -5\n", 1, "is not a size")]
    public void Malformed_payload_cards_name_the_line(string text, int line, string problem)
    {
        var act = () => XferMessage.Decode(Encoding.ASCII.GetBytes(text));
        act.Should().Throw<XferFormatException>().Where(e => e.LineNumber == line).WithMessage($"*{problem}*");
    }

    [Fact]
    public void Limits_cap_payloads_and_line_lengths()
    {
        var limits = new XferLimits { MaxPayloadSize = 100, MaxLineLength = 1000 };
        var big = () => XferMessage.Decode(Encoding.ASCII.GetBytes($"file {H2} 101\n" + new string('x', 101)), limits);
        big.Should().Throw<XferFormatException>().WithMessage("*exceeds the limit of 100*");
        var longLine = async () => await XferMessage.ReadAsync(new MemoryStream(Encoding.ASCII.GetBytes(new string('x', 5000))), false, limits);
        longLine.Should().ThrowAsync<XferFormatException>().WithMessage("*longer than 1000*");
    }

    [Fact]
    public async Task A_compressed_body_that_is_truncated_or_a_bomb_is_refused()
    {
        byte[] body = new XferMessage(Enumerable.Range(0, 500).Select(i => (XferCard)new IGotCard(H1))).EncodeCompressed();
        var truncated = async () => await XferMessage.ReadAsync(new MemoryStream(body[..^9]), compressed: true);
        await truncated.Should().ThrowAsync<CorruptContentException>();
        byte[] bomb = (byte[])body.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bomb, uint.MaxValue);
        var huge = async () => await XferMessage.ReadAsync(new MemoryStream(bomb), compressed: true, new XferLimits { MaxMessageSize = 1 << 20 });
        await huge.Should().ThrowAsync<CorruptContentException>().WithMessage("*over the limit*");
        byte[] understated = (byte[])body.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(understated, 100);
        var over = async () => await XferMessage.ReadAsync(new MemoryStream(understated), compressed: true);
        await over.Should().ThrowAsync<CorruptContentException>().WithMessage("*more than its declared 100*");
    }

    private static string Latin(byte[] bytes) => Encoding.Latin1.GetString(bytes);
}
