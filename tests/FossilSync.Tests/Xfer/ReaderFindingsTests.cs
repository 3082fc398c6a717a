using System.Text;
using FossilSync.Primitives;
using FossilSync.Xfer;

namespace FossilSync.Tests.Xfer;

/// <summary>Regression tests for what fuzzing the card codec found in the stream reader.</summary>
public sealed class ReaderFindingsTests
{
    [Fact]
    public async Task Xfer_zlib_fdict_a_zlib_header_asking_for_a_preset_dictionary_is_corrupt_content()
    {
        byte[] body = [0x00, 0x30, 0x30, 0x30, 0x78, 0x20, 0x30, 0x30, 0x30, 0x30];

        var read = () => XferMessage.ReadAsync(new MemoryStream(body), compressed: true);

        await read.Should().ThrowAsync<CorruptContentException>();
    }

    [Fact]
    public async Task A_broken_connection_under_a_compressed_body_stays_an_io_error()
    {
        byte[] whole = BlobCompression.Compress(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("igot " + new string('a', 40) + "\n", 5000))));
        var broken = new BreaksAfter(whole, whole.Length / 2);

        var read = () => XferMessage.ReadAsync(broken, compressed: true);

        (await read.Should().ThrowAsync<IOException>()).Which.Message.Should().Be(BreaksAfter.Reason);
    }

    [Fact]
    public async Task Xfer_payload_prealloc_a_declared_size_costs_only_the_bytes_that_arrive()
    {
        byte[] body = Encoding.ASCII.GetBytes($"file {new string('a', 40)} {256 << 20}\nonly a few bytes");

        long before = GC.GetAllocatedBytesForCurrentThread();
        var pending = XferMessage.ReadAsync(new MemoryStream(body), compressed: false);
        pending.IsCompleted.Should().BeTrue("a memory stream never waits, so this thread's allocations are all of it");
        var read = () => pending;
        (await read.Should().ThrowAsync<XferFormatException>()).Which.Message.Should().Contain("payload");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().BeLessThan(4 << 20, "the 256 MiB are only claimed, never sent");
    }

    [Fact]
    public async Task A_payload_larger_than_the_first_buffer_arrives_whole()
    {
        byte[] content = new byte[3_000_000];
        new Random(7).NextBytes(content);
        string hash = ArtifactHash.Compute(content, HashKind.Sha3_256);
        byte[] body = new XferMessage([new FileCard(hash, null, content), new GimmeCard(hash)]).EncodeCompressed();

        var message = await XferMessage.ReadAsync(new MemoryStream(body), compressed: true);

        message.Cards.OfType<FileCard>().Single().Content.ToArray().Should().Equal(content);
        message.Cards.OfType<GimmeCard>().Single().Hash.Should().Be(hash);
    }

    private sealed class BreaksAfter(byte[] data, int limit) : Stream
    {
        public const string Reason = "connection reset by peer (test)";
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= limit) throw new IOException(Reason);
            int n = Math.Min(count, limit - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
