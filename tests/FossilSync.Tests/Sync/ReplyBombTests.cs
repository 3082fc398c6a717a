using System.IO.Compression;
using System.Text;
using FossilSync.Http;
using FossilSync.Primitives;
using FossilSync.Sync;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Sync;

[Collection(MeasuresAllocationsCollection.Name)]
public sealed class ReplyBombTests
{
    // 64 MiB of "#\n" lines: 33 million comment cards in about 65 KB on the wire.
    private static byte[] CommentBomb()
    {
        const int size = 64 << 20;
        var output = new MemoryStream();
        Span<byte> prefix = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(prefix, size);
        output.Write(prefix);
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            byte[] block = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("#\n", 32 * 1024)));
            for (int written = 0; written < size; written += block.Length) zlib.Write(block);
        }
        return output.ToArray();
    }

    [Fact]
    public async Task A_reply_of_millions_of_comment_lines_is_refused_without_filling_the_memory()
    {
        byte[] bomb = CommentBomb();
        bomb.Length.Should().BeLessThan(200_000, "the bomb is small on the wire");
        BlobCompression.ReadDeclaredSize(bomb).Should().Be(64u << 20);
        using var peer = new ScriptedHttpResponder(async (stream, stop) =>
        {
            await stream.WriteAsync(Encoding.Latin1.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/x-fossil\r\nContent-Length: {bomb.Length}\r\nConnection: close\r\n\r\n"), stop);
            await stream.WriteAsync(bomb, stop);
        });
        using var dir = new TempDirectory();
        using var transport = new HttpTransport(peer.Url);
        string target = dir.File("clone.fossil");

        long before = GC.GetTotalAllocatedBytes(precise: true);
        var act = () => FossilClient.CloneAsync(transport, target);
        (await act.Should().ThrowAsync<CorruptContentException>()).WithMessage("*more than*cards*");
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        allocated.Should().BeLessThan(200L << 20, "a reply's decoded cards are bounded, not its 64 MiB of lines");
        File.Exists(target).Should().BeFalse();
    }
}
