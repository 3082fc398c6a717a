using System.Buffers.Binary;
using System.Text;
using FossilSync.Primitives;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Primitives;

public sealed class BlobCompressionTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(3_000_000)]
    public void Round_trips_random_and_repetitive_data(int length)
    {
        var random = new Random(length);
        byte[] data = new byte[length];
        random.NextBytes(data.AsSpan(0, length / 2));
        byte[] envelope = BlobCompression.Compress(data);
        BlobCompression.ReadDeclaredSize(envelope).Should().Be((uint)length);
        BlobCompression.Decompress(envelope).Should().Equal(data);
    }

    [Fact]
    public void Empty_content_compresses_to_the_12_bytes_stock_fossil_stores()
    {
        BlobCompression.Compress([]).Length.Should().Be(12);
    }

    [Fact]
    public void Decodes_the_compressed_body_of_a_captured_http_reply()
    {
        byte[] wire = File.ReadAllBytes(TestCaptures.Capture("sync-pull/02-reply.wire"));
        byte[] text = File.ReadAllBytes(TestCaptures.Capture("sync-pull/02-reply.txt"));
        byte[] body = wire[(IndexOfBodyStart(wire))..];
        byte[] expected = text[(IndexOfBodyStart(text))..];
        BlobCompression.Decompress(body).Should().Equal(expected);
    }

    [Fact]
    public void Decodes_blob_content_written_by_stock_fossil()
    {
        using var dir = new TempDirectory();
        StockFossil.Ok(dir.Path, "new", dir.File("r.fossil"));
        // The initial check-in manifest is the one blob of a new repository.
        string hex = StockFossil.Ok(dir.Path, "sql", "-R", dir.File("r.fossil"), "select hex(content) from blob where rid=1").Trim().Trim('\'');
        string uuid = StockFossil.Ok(dir.Path, "sql", "-R", dir.File("r.fossil"), "select uuid from blob where rid=1").Trim().Trim('\'');
        byte[] content = BlobCompression.Decompress(Convert.FromHexString(hex));
        ArtifactHash.Matches(uuid, content).Should().BeTrue();
        Encoding.ASCII.GetString(content).Should().StartWith("C initial\\sempty\\scheck-in\n");
    }

    [Fact]
    public void A_bomb_declaring_more_than_the_cap_is_refused_before_inflating()
    {
        byte[] envelope = BlobCompression.Compress(new byte[1000]);
        BinaryPrimitives.WriteUInt32BigEndian(envelope, uint.MaxValue);
        var act = () => BlobCompression.Decompress(envelope, maxSize: 1 << 20);
        act.Should().Throw<CorruptContentException>().WithMessage("*declares 4294967295 bytes*");
    }

    [Fact]
    public void A_zlib_header_asking_for_a_preset_dictionary_is_corrupt_content()
    {
        // Found by fuzzing (tests/FossilSync.Fuzz, card codec target): the FDICT bit made the
        // inflater throw ZLibException (an IOException), which escaped undocumented.
        byte[] envelope = [0x00, 0x00, 0x00, 0x05, 0x78, 0x20, 0x00, 0x00, 0x00, 0x00];
        var act = () => BlobCompression.Decompress(envelope);
        act.Should().Throw<CorruptContentException>().WithMessage("*not a valid zlib stream*");
    }

    [Fact]
    public void Output_longer_than_declared_is_refused()
    {
        byte[] envelope = BlobCompression.Compress(new byte[5000]);
        BinaryPrimitives.WriteUInt32BigEndian(envelope, 4999);
        var act = () => BlobCompression.Decompress(envelope);
        act.Should().Throw<CorruptContentException>().WithMessage("*more than its declared 4999*");
    }

    [Fact]
    public void Output_shorter_than_declared_is_accepted_as_stock_fossil_does()
    {
        byte[] envelope = BlobCompression.Compress("hello"u8);
        BinaryPrimitives.WriteUInt32BigEndian(envelope, 100);
        BlobCompression.Decompress(envelope).Should().Equal("hello"u8.ToArray());
    }

    [Fact]
    public void Every_truncation_is_refused()
    {
        byte[] data = new byte[20000];
        new Random(7).NextBytes(data.AsSpan(0, 10000));
        byte[] envelope = BlobCompression.Compress(data);
        for (int cut = 0; cut < envelope.Length; cut += Math.Max(1, cut / 4))
        {
            var act = () => BlobCompression.Decompress(envelope.AsMemory(0, cut));
            act.Should().Throw<CorruptContentException>($"a cut at {cut} of {envelope.Length} bytes is truncated");
        }
    }

    [Fact]
    public void Corrupted_bytes_never_yield_anything_but_the_typed_exception_or_the_right_data()
    {
        byte[] data = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("fossil sync ", 500)));
        byte[] envelope = BlobCompression.Compress(data);
        var random = new Random(42);
        for (int i = 0; i < 2000; i++)
        {
            byte[] mutated = (byte[])envelope.Clone();
            mutated[random.Next(mutated.Length)] ^= (byte)(1 << random.Next(8));
            try
            {
                byte[] output = BlobCompression.Decompress(mutated, maxSize: 1 << 20);
                output.Length.Should().BeLessThanOrEqualTo((int)BlobCompression.ReadDeclaredSize(mutated));
            }
            catch (CorruptContentException)
            {
            }
        }
    }

    private static int IndexOfBodyStart(byte[] http)
    {
        for (int i = 0; i + 3 < http.Length; i++)
        {
            if (http[i] == '\r' && http[i + 1] == '\n' && http[i + 2] == '\r' && http[i + 3] == '\n') return i + 4;
        }
        throw new InvalidDataException("no end of HTTP header");
    }
}
