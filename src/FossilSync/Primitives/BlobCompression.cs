using System.Buffers.Binary;
using System.IO.Compression;

namespace FossilSync.Primitives;

/// <summary>
/// Fossil's compression envelope: a 4-byte big-endian uncompressed length followed by a zlib
/// stream (RFC 1950). Stored <c>blob.content</c>, <c>cfile</c> payloads and
/// <c>application/x-fossil</c> HTTP bodies all use it.
/// </summary>
/// <remarks>
/// Stock fossil trusts the declared length and allocates it; we never allocate more than the
/// compressed input could possibly inflate to, and refuse anything above a caller-given cap,
/// so a few bytes claiming gigabytes (a "bomb") cost nothing but an exception.
/// </remarks>
public static class BlobCompression
{
    /// <summary>Default cap on an inflated envelope: 256 MiB.</summary>
    public const int DefaultMaxSize = 256 * 1024 * 1024;

    /// <summary>Bytes of the big-endian length prefix.</summary>
    public const int PrefixLength = 4;

    private static ReadOnlySpan<byte> EmptyZlibStream => [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];

    // Deflate cannot expand data by more than about 1032:1; a little slack covers the headers.
    private const int MaxDeflateRatio = 1040;

    /// <summary>Wraps <paramref name="data"/> in the envelope.</summary>
    /// <param name="data">Uncompressed bytes.</param>
    /// <param name="level">zlib effort; stock fossil's client uses the smallest size, its server the default.</param>
    public static byte[] Compress(ReadOnlySpan<byte> data, CompressionLevel level = CompressionLevel.Optimal)
    {
        var output = new MemoryStream(data.Length / 2 + 64);
        Span<byte> prefix = stackalloc byte[PrefixLength];
        BinaryPrimitives.WriteUInt32BigEndian(prefix, checked((uint)data.Length));
        output.Write(prefix);
        if (data.IsEmpty)
        {
            // ZLibStream writes nothing at all for empty input; fossil stores a real (empty) stream.
            output.Write(EmptyZlibStream);
            return output.ToArray();
        }
        using (var zlib = new ZLibStream(output, level, leaveOpen: true))
        {
            zlib.Write(data);
        }
        return output.ToArray();
    }

    /// <summary>The uncompressed length an envelope declares, without inflating anything.</summary>
    /// <exception cref="CorruptContentException">Fewer than 4 bytes.</exception>
    public static uint ReadDeclaredSize(ReadOnlySpan<byte> envelope)
    {
        if (envelope.Length < PrefixLength)
        {
            throw new CorruptContentException($"compressed content of {envelope.Length} bytes is shorter than its 4-byte length prefix.");
        }
        return BinaryPrimitives.ReadUInt32BigEndian(envelope);
    }

    /// <summary>Inflates an envelope and returns exactly the uncompressed bytes.</summary>
    /// <param name="envelope">The 4-byte length then the zlib stream.</param>
    /// <param name="maxSize">Largest inflated size accepted (the declared length and the real output are both checked).</param>
    /// <exception cref="CorruptContentException">Truncated or invalid zlib data, output longer than declared, or a declared size over <paramref name="maxSize"/>.</exception>
    public static byte[] Decompress(ReadOnlyMemory<byte> envelope, int maxSize = DefaultMaxSize)
    {
        uint declared = ReadDeclaredSize(envelope.Span);
        if (declared > (uint)maxSize)
        {
            throw new CorruptContentException($"compressed content declares {declared} bytes, over the limit of {maxSize}.");
        }
        ReadOnlyMemory<byte> zlibData = envelope[PrefixLength..];
        // Output may be shorter than declared (stock accepts that), never longer.
        long possible = (long)zlibData.Length * MaxDeflateRatio + 64;
        // Only the bytes the inflater wrote are ever returned: no need to zero the buffer first.
        var buffer = GC.AllocateUninitializedArray<byte>((int)Math.Min(declared, possible));
        var input = new TruncationDetectingStream(new ReadOnlyMemoryStream(zlibData));
        int total;
        try
        {
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            total = zlib.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (total == buffer.Length && zlib.ReadByte() >= 0)
            {
                throw new CorruptContentException($"compressed content inflates to more than its declared {declared} bytes.");
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            // Most damage surfaces as InvalidDataException; a header asking for a preset
            // dictionary (FDICT) makes the inflater fail with a ZLibException, an IOException.
            throw new CorruptContentException("compressed content is not a valid zlib stream: " + ex.Message, ex);
        }
        // ZLibStream treats a stream cut short as a clean end; only the inflater asking for
        // bytes past the end of its input tells a truncated stream from a complete one.
        if (input.ReadPastEnd)
        {
            throw new CorruptContentException("compressed content is truncated: the zlib stream ends early.");
        }
        return total == buffer.Length ? buffer : buffer.AsSpan(0, total).ToArray();
    }

    /// <summary>True when the bytes look like an envelope: a prefix and a zlib header with a valid check value.</summary>
    public static bool LooksCompressed(ReadOnlySpan<byte> data) =>
        data.Length >= PrefixLength + 2
        && (data[PrefixLength] & 0x0F) == 8
        && ((data[PrefixLength] << 8) | data[PrefixLength + 1]) % 31 == 0;
}
