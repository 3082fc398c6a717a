using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace FossilSync.EndToEnd.Hostile;

/// <summary>
/// One hostile sync request: what it is, the payload it inflates to (written in pieces, so the
/// benchmark never holds the inflated bomb), and the size its envelope header declares when that
/// header lies.
/// </summary>
internal sealed record RequestBomb(string Name, long InflatedSize, Action<Stream> WritePayload, uint? DeclaredSize = null)
{
    /// <summary>
    /// The <c>application/x-fossil</c> body: a 4-byte big-endian uncompressed size, then a zlib
    /// stream compressed (at zlib's highest ratio, as an attacker would) from <see cref="WritePayload"/> as it is written.
    /// </summary>
    public byte[] Envelope()
    {
        var body = new MemoryStream();
        Span<byte> prefix = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(prefix, DeclaredSize ?? checked((uint)InflatedSize));
        body.Write(prefix);
        using (var zlib = new ZLibStream(body, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            WritePayload(zlib);
        }
        return body.ToArray();
    }
}

/// <summary>
/// The catalogue of bombs the hardening issue names: each is cheap on the wire and expensive for
/// a server that inflates, parses or stores it naively. None logs in, so the server sees user
/// <c>nobody</c>, who may not write.
/// </summary>
internal static class RequestBombs
{
    private const long MiB = 1024 * 1024;

    /// <summary>The largest file card a bomb sends: 252 MiB, under the 256 MiB envelope cap.</summary>
    private const long FileCardSize = 252 * MiB;

    public static IReadOnlyList<RequestBomb> All { get; } =
    [
        new("64 MiB of `#` comment lines", 64 * MiB, s => Repeat(s, "#\n"u8, 64 * MiB)),
        new("1 GiB of `#` comment lines", 1024 * MiB, s => Repeat(s, "#\n"u8, 1024 * MiB)),
        new("4 `file` cards of 252 MiB (zeros), not authorized", 4 * FileCardLength(), s =>
        {
            for (int i = 0; i < 4; i++) WriteFileCard(s, i, withPayload: true);
        }),
        new("header declares 1 KB, inflates to 64 MiB", 64 * MiB, s => Repeat(s, "#\n"u8, 64 * MiB), DeclaredSize: 1024),
        new("64 MiB of `igot` lines, not authorized", IgotLines() * IgotLineLength, WriteIgots),
        new("one 252 MiB `file` card, payload missing", FileCardHeader(0).Length, s => WriteFileCard(s, 0, withPayload: false)),
    ];

    private static void Repeat(Stream output, ReadOnlySpan<byte> line, long total)
    {
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < chunk.Length; i++) chunk[i] = line[i % line.Length];
        for (long written = 0; written < total; written += chunk.Length)
        {
            output.Write(chunk, 0, (int)Math.Min(chunk.Length, total - written));
        }
    }

    /// <summary>A distinct, hash-looking name per card and line: SHA3-256-sized hex of a counter's SHA-256.</summary>
    private static string Hash(int index) => Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(index)));

    private static byte[] FileCardHeader(int index) => Encoding.ASCII.GetBytes($"file {Hash(index)} {FileCardSize}\n");

    private static long FileCardLength() => FileCardHeader(0).Length + FileCardSize + 1;

    /// <summary><c>file HASH SIZE\n</c>, then SIZE zero bytes and the newline that ends a payload, or nothing when <paramref name="withPayload"/> is false.</summary>
    private static void WriteFileCard(Stream output, int index, bool withPayload)
    {
        output.Write(FileCardHeader(index));
        if (!withPayload) return;
        byte[] zeros = new byte[64 * 1024];
        for (long written = 0; written < FileCardSize; written += zeros.Length) output.Write(zeros);
        output.WriteByte((byte)'\n');
    }

    // "igot " + 64 hex digits + "\n".
    private const int IgotLineLength = 70;

    private static long IgotLines() => 64 * MiB / IgotLineLength;

    private static void WriteIgots(Stream output)
    {
        var buffered = new BufferedStream(output, 64 * 1024);
        for (int i = 0; i < IgotLines(); i++) buffered.Write(Encoding.ASCII.GetBytes($"igot {Hash(i)}\n"));
        buffered.Flush();
    }
}
