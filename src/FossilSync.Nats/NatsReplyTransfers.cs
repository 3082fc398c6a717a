using System.Collections.Concurrent;
using System.Globalization;
using FossilSync.Server;
using NATS.Client.Core;

namespace FossilSync.Nats;

/// <summary>
/// Sends a hub's replies: in one message when it fits, otherwise the first chunk with a
/// transfer id, the rest kept here until the client fetches it chunk by chunk (or it expires).
/// </summary>
internal sealed class NatsReplyTransfers(TimeSpan lifetime)
{
    private readonly ConcurrentDictionary<string, Transfer> _transfers = new(StringComparer.Ordinal);

    /// <summary>Replies not yet fetched to the end.</summary>
    public int Pending => _transfers.Count;

    public async Task ReplyAsync(NatsMsg<byte[]> request, SyncResponse response, string hubId, int chunkSize, CancellationToken cancellationToken)
    {
        var headers = new NatsHeaders
        {
            [NatsHeaderNames.Hub] = hubId,
            [NatsHeaderNames.ContentType] = response.ContentType,
        };
        int chunks = NatsChunks.Count(response.Body.Length, chunkSize);
        if (chunks > 1)
        {
            Sweep();
            string id = Guid.NewGuid().ToString("N");
            _transfers[id] = new Transfer(response.Body, chunkSize, chunks, DateTime.UtcNow + lifetime);
            headers[NatsHeaderNames.Transfer] = id;
            headers[NatsHeaderNames.Chunks] = chunks.ToString(CultureInfo.InvariantCulture);
            headers[NatsHeaderNames.Length] = response.Body.Length.ToString(CultureInfo.InvariantCulture);
        }
        await request.ReplyAsync(NatsChunks.Slice(response.Body, 0, chunkSize), headers, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Answers a fetch of one chunk; the transfer is dropped once its last chunk is sent.</summary>
    public async Task ServeAsync(NatsMsg<byte[]> fetch, string hubId, CancellationToken cancellationToken)
    {
        if (fetch.ReplyTo is null) return;
        string? id = NatsChunks.Text(fetch.Headers, NatsHeaderNames.Transfer);
        long? index = NatsChunks.Number(fetch.Headers, NatsHeaderNames.Chunk, -1);
        var headers = new NatsHeaders { [NatsHeaderNames.Hub] = hubId };
        try
        {
            if (id is null || !_transfers.TryGetValue(id, out var transfer) || index is not > 0 || index >= transfer.Chunks)
            {
                headers[NatsHeaderNames.Error] = $"no chunk {index} of transfer {id} (expired or never made)";
                await fetch.ReplyAsync(headers: headers, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }
            if (index == transfer.Chunks - 1) _transfers.TryRemove(id, out _);
            await fetch.ReplyAsync(NatsChunks.Slice(transfer.Body, (int)index.Value, transfer.ChunkSize), headers, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NatsException or OperationCanceledException)
        {
            // The client asks again or gives the round up.
        }
    }

    private void Sweep()
    {
        var now = DateTime.UtcNow;
        foreach (var (id, transfer) in _transfers)
        {
            if (transfer.Expires < now) _transfers.TryRemove(id, out _);
        }
    }

    private sealed record Transfer(byte[] Body, int ChunkSize, int Chunks, DateTime Expires);
}
