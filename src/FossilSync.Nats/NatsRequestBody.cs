using System.Globalization;
using NATS.Client.Core;

namespace FossilSync.Nats;

/// <summary>Gathers a request's body on the hub: the message's own payload, or, for a large request, every chunk pulled from the client's upload subject.</summary>
internal static class NatsRequestBody
{
    /// <summary>The whole body, or null when it is declared larger than <paramref name="maxBytes"/> (then nothing more is read).</summary>
    /// <exception cref="IncompleteException">The client did not hand out all its chunks.</exception>
    public static async Task<byte[]?> ReadAsync(INatsConnection connection, NatsMsg<byte[]> message, long maxBytes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        byte[] first = message.Data ?? [];
        long? chunks = NatsChunks.Number(message.Headers, NatsHeaderNames.Chunks, 1);
        if (chunks == 1) return first.Length > maxBytes ? null : first;
        long? length = NatsChunks.Number(message.Headers, NatsHeaderNames.Length, -1);
        string? upload = NatsChunks.Text(message.Headers, NatsHeaderNames.Upload);
        if (chunks is not > 1 || length is not >= 0 || upload is null) throw new IncompleteException($"a chunked request with bad headers (chunks {chunks}, length {length})");
        if (length > maxBytes) return null;
        var body = new byte[length.Value];
        if (first.Length > body.Length) throw new IncompleteException("a request chunk runs past its declared length");
        first.CopyTo(body, 0);
        int at = first.Length;
        for (int index = 1; index < chunks; index++)
        {
            var headers = new NatsHeaders { [NatsHeaderNames.Chunk] = index.ToString(CultureInfo.InvariantCulture) };
            NatsMsg<byte[]> part;
            try
            {
                part = await connection.RequestAsync<ReadOnlyMemory<byte>, byte[]>(upload, ReadOnlyMemory<byte>.Empty, headers, replyOpts: new NatsSubOpts { Timeout = timeout }, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (NatsException ex)
            {
                throw new IncompleteException($"chunk {index} of the request never came: {ex.Message}");
            }
            byte[] data = part.Data ?? [];
            if (part.HasNoResponders || NatsChunks.Text(part.Headers, NatsHeaderNames.Error) is not null || data.Length > body.Length - at)
            {
                throw new IncompleteException($"chunk {index} of the request could not be read");
            }
            data.CopyTo(body, at);
            at += data.Length;
        }
        if (at != body.Length) throw new IncompleteException($"the request's chunks hold {at} of its {body.Length} bytes");
        return body;
    }

    /// <summary>A large request whose chunks could not all be gathered: answered with an error card.</summary>
    public sealed class IncompleteException(string message) : Exception(message);
}
