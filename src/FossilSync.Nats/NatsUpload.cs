using NATS.Client.Core;

namespace FossilSync.Nats;

/// <summary>
/// Hands out the chunks of one large request to the hub that takes it: the hub asks for chunk
/// N on <see cref="Subject"/> (an inbox of the client's) and gets it as the reply.
/// </summary>
internal sealed class NatsUpload : IAsyncDisposable
{
    private readonly INatsSub<byte[]> _subscription;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    private NatsUpload(INatsSub<byte[]> subscription, ReadOnlyMemory<byte> body, int chunkSize)
    {
        _subscription = subscription;
        _serving = ServeAsync(body, chunkSize, _stop.Token);
    }

    public string Subject => _subscription.Subject;

    public static async Task<NatsUpload> StartAsync(INatsConnection connection, ReadOnlyMemory<byte> body, int chunkSize, CancellationToken cancellationToken)
    {
        var subscription = await connection.SubscribeCoreAsync<byte[]>(connection.NewInbox(), cancellationToken: cancellationToken).ConfigureAwait(false);
        return new NatsUpload(subscription, body, chunkSize);
    }

    private async Task ServeAsync(ReadOnlyMemory<byte> body, int chunkSize, CancellationToken cancellationToken)
    {
        int chunks = NatsChunks.Count(body.Length, chunkSize);
        try
        {
            await foreach (var ask in _subscription.Msgs.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (ask.ReplyTo is null) continue;
                long? index = NatsChunks.Number(ask.Headers, NatsHeaderNames.Chunk, -1);
                if (index is >= 0 && index < chunks)
                {
                    await ask.ReplyAsync(NatsChunks.Slice(body, (int)index.Value, chunkSize), cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await ask.ReplyAsync(headers: new NatsHeaders { [NatsHeaderNames.Error] = $"no chunk {index} of {chunks}" }, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _subscription.DisposeAsync().ConfigureAwait(false);
        try { await _serving.ConfigureAwait(false); }
        catch (NatsException) { }
        _stop.Dispose();
    }
}
