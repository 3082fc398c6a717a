using NATS.Client.Core;

namespace FossilSync.Nats;

/// <summary>
/// Splits a body into pieces that each fit in one NATS message. The server's <c>max_payload</c>
/// (1 MB by default) bounds headers and payload together, and a clone round is up to 5 MB, so
/// a body travels as its first chunk plus chunks asked for one at a time: each piece is a
/// request and its reply, so a slow reader can never be flooded past its buffer.
/// </summary>
internal static class NatsChunks
{
    /// <summary>Room kept for the headers beside a chunk.</summary>
    private const int HeaderRoom = 4096;

    private const int DefaultMaxPayload = 1024 * 1024;

    /// <summary>The largest chunk the connected server takes.</summary>
    public static int Size(INatsConnection connection)
    {
        long max = connection.ServerInfo?.MaxPayload is > 0 and var known ? known : DefaultMaxPayload;
        return (int)Math.Max(1024, Math.Min(int.MaxValue, max) - HeaderRoom);
    }

    /// <summary>How many chunks <paramref name="length"/> bytes take (at least one).</summary>
    public static int Count(int length, int chunkSize) => Math.Max(1, (length + chunkSize - 1) / chunkSize);

    /// <summary>Chunk <paramref name="index"/> of <paramref name="body"/>.</summary>
    public static ReadOnlyMemory<byte> Slice(ReadOnlyMemory<byte> body, int index, int chunkSize)
    {
        int start = index * chunkSize;
        return body.Slice(start, Math.Min(chunkSize, body.Length - start));
    }

    /// <summary>Reads an integer header, or <paramref name="absent"/>; null when present but malformed.</summary>
    public static long? Number(NatsHeaders? headers, string name, long absent)
    {
        if (headers is null || !headers.TryGetLastValue(name, out string? text)) return absent;
        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long value) ? value : null;
    }

    /// <summary>A header's value, or null.</summary>
    public static string? Text(NatsHeaders? headers, string name) =>
        headers is not null && headers.TryGetLastValue(name, out string? value) ? value : null;
}
