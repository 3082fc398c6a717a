using System.IO.Compression;
using FossilSync.Primitives;
using FossilSync.Sync;
using FossilSync.Xfer;
using NATS.Client.Core;

namespace FossilSync.Nats;

/// <summary>
/// Carries sync rounds over NATS request/reply: the first round goes to the project's queue
/// group of hubs (<c>PREFIX.CODE.sync</c>), and every later round to the hub that answered it
/// (<c>PREFIX.CODE.hub.HUB.sync</c>), so one session never mixes the views of two hubs that
/// have not converged yet. Bodies larger than the server's <c>max_payload</c> travel in chunks.
/// </summary>
/// <remarks>
/// Use one transport per session (a sync, a clone): it keeps to its hub for its whole life. If
/// that hub goes away the round fails with a <see cref="TransportException"/> instead of going
/// on with another hub. The connection is the caller's; this type only borrows it.
/// </remarks>
public sealed class NatsTransport : ITransport
{
    private readonly INatsConnection _connection;
    private readonly NatsTransportOptions _options;
    private readonly string _projectCode;
    private readonly string _session = Guid.NewGuid().ToString("N");

    /// <summary>A transport for <paramref name="projectCode"/>'s hubs on <paramref name="connection"/>.</summary>
    /// <exception cref="ArgumentException">The project code, prefix or hub cannot be part of a subject.</exception>
    public NatsTransport(INatsConnection connection, string projectCode, NatsTransportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _options = options ?? new NatsTransportOptions();
        NatsSubjects.CheckToken(projectCode, nameof(projectCode));
        NatsSubjects.CheckPrefix(_options.Prefix);
        if (_options.Hub is not null) NatsSubjects.CheckToken(_options.Hub, "hub");
        _connection = connection;
        _projectCode = projectCode;
        HubId = _options.Hub;
    }

    /// <summary>The hub this session keeps to: the one given, or the one that answered the first round; null before.</summary>
    public string? HubId { get; private set; }

    /// <summary>
    /// <c>nats://HOST:PORT/CODE?hub=HUB</c> once the hub is known. Before that the address is
    /// unique to this transport: a clone's sequence numbers belong to one hub, so an interrupted
    /// clone is resumed only from the hub that served it (call <see cref="ChooseHubAsync"/>
    /// before cloning for that).
    /// </summary>
    public Uri Endpoint
    {
        get
        {
            string server = _connection.Opts.Url.Split(',')[0];
            if (!server.Contains("://", StringComparison.Ordinal)) server = "nats://" + server;
            var builder = new UriBuilder(server) { UserName = "", Password = "", Path = _projectCode };
            builder.Query = HubId is null ? "session=" + _session : "hub=" + HubId;
            return builder.Uri;
        }
    }

    /// <summary>
    /// Asks the queue group which hub answers and keeps to it from now on (nothing is synced).
    /// Does nothing when a hub is already chosen.
    /// </summary>
    /// <returns>The hub's id.</returns>
    /// <exception cref="TransportException">No hub answered.</exception>
    public async Task<string> ChooseHubAsync(CancellationToken cancellationToken = default)
    {
        if (HubId is not null) return HubId;
        var headers = new NatsHeaders { [NatsHeaderNames.Ping] = "1" };
        var reply = await WithRetriesAsync(() => RequestAsync(NatsSubjects.Sync(_options.Prefix, _projectCode), ReadOnlyMemory<byte>.Empty, headers, cancellationToken), cancellationToken).ConfigureAwait(false);
        return HubId = HubOf(reply);
    }

    /// <inheritdoc/>
    public async Task<XferMessage> ExchangeAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        byte[] body = BlobCompression.Compress(request.Span, CompressionLevel.Optimal);
        var (contentType, reply) = await WithRetriesAsync(() => ExchangeOnceAsync(body, cancellationToken), cancellationToken).ConfigureAwait(false);
        try
        {
            return XferContentType.IsCompressed(contentType) ? XferMessage.DecodeCompressed(reply, _options.Limits) : XferMessage.Decode(reply, _options.Limits);
        }
        catch (InvalidDataException ex)
        {
            throw new TransportException($"hub {HubId} sent a reply that does not decompress: {ex.Message}", ex);
        }
    }

    private async Task<(string ContentType, byte[] Body)> ExchangeOnceAsync(byte[] body, CancellationToken cancellationToken)
    {
        string subject = HubId is null ? NatsSubjects.Sync(_options.Prefix, _projectCode) : NatsSubjects.HubSync(_options.Prefix, _projectCode, HubId);
        int chunkSize = NatsChunks.Size(_connection);
        int chunks = NatsChunks.Count(body.Length, chunkSize);
        var headers = new NatsHeaders { [NatsHeaderNames.ContentType] = XferContentType.Compressed };
        if (System.Diagnostics.Activity.Current is { IdFormat: System.Diagnostics.ActivityIdFormat.W3C, Id: { } traceParent } round)
        {
            headers[NatsHeaderNames.TraceParent] = traceParent;
            if (round.TraceStateString is { } state) headers[NatsHeaderNames.TraceState] = state;
        }
        NatsMsg<byte[]> reply;
        if (chunks == 1)
        {
            reply = await RequestAsync(subject, body, headers, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // The hub pulls the rest of the request from a subject of ours, one chunk per request.
            await using var upload = await NatsUpload.StartAsync(_connection, body, chunkSize, cancellationToken).ConfigureAwait(false);
            headers[NatsHeaderNames.Length] = body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            headers[NatsHeaderNames.Chunks] = chunks.ToString(System.Globalization.CultureInfo.InvariantCulture);
            headers[NatsHeaderNames.Upload] = upload.Subject;
            reply = await RequestAsync(subject, NatsChunks.Slice(body, 0, chunkSize), headers, cancellationToken).ConfigureAwait(false);
        }
        string hub = HubOf(reply);
        if (HubId is null) HubId = hub;
        else if (hub != HubId) throw new TransportException($"hub {hub} answered a session that keeps to hub {HubId}.");
        string contentType = NatsChunks.Text(reply.Headers, NatsHeaderNames.ContentType) ?? XferContentType.Compressed;
        return (contentType, await ReadRestAsync(reply, hub, cancellationToken).ConfigureAwait(false));
    }

    // The reply's first chunk came with the answer; the others are fetched from the hub in turn.
    private async Task<byte[]> ReadRestAsync(NatsMsg<byte[]> first, string hub, CancellationToken cancellationToken)
    {
        long? chunks = NatsChunks.Number(first.Headers, NatsHeaderNames.Chunks, 1);
        byte[] head = first.Data ?? [];
        if (chunks == 1) return head;
        long? length = NatsChunks.Number(first.Headers, NatsHeaderNames.Length, -1);
        string? transfer = NatsChunks.Text(first.Headers, NatsHeaderNames.Transfer);
        if (chunks is not > 1 || length is not >= 0 || length > int.MaxValue || length > _options.Limits.MaxMessageSize || transfer is null)
        {
            throw new TransportException($"hub {hub} sent a chunked reply with bad headers (chunks {chunks}, length {length}).");
        }
        var body = new byte[length.Value];
        int at = Copy(head, body, 0, hub);
        string fetch = NatsSubjects.HubFetch(_options.Prefix, _projectCode, hub);
        for (int index = 1; index < chunks; index++)
        {
            var headers = new NatsHeaders
            {
                [NatsHeaderNames.Transfer] = transfer,
                [NatsHeaderNames.Chunk] = index.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            var part = await RequestAsync(fetch, ReadOnlyMemory<byte>.Empty, headers, cancellationToken).ConfigureAwait(false);
            at = Copy(part.Data ?? [], body, at, hub);
        }
        if (at != body.Length) throw new TransportException($"hub {hub} sent {at} of the reply's {body.Length} bytes.");
        return body;
    }

    private static int Copy(byte[] chunk, byte[] body, int at, string hub)
    {
        if (chunk.Length > body.Length - at) throw new TransportException($"hub {hub} sent more than the reply's {body.Length} bytes.");
        chunk.CopyTo(body, at);
        return at + chunk.Length;
    }

    private async Task<NatsMsg<byte[]>> RequestAsync(string subject, ReadOnlyMemory<byte> data, NatsHeaders headers, CancellationToken cancellationToken)
    {
        NatsMsg<byte[]> reply;
        try
        {
            reply = await _connection.RequestAsync<ReadOnlyMemory<byte>, byte[]>(subject, data, headers, replyOpts: new NatsSubOpts { Timeout = _options.ReplyTimeout }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NatsNoRespondersException ex)
        {
            throw new NoReplyException($"no hub serves {subject}.", ex);
        }
        catch (NatsNoReplyException ex)
        {
            throw new NoReplyException($"no reply on {subject} within {_options.ReplyTimeout.TotalSeconds:0.###} s.", ex);
        }
        catch (NatsException ex)
        {
            throw new NoReplyException($"NATS request on {subject} failed: {ex.Message}", ex);
        }
        if (reply.HasNoResponders) throw new NoReplyException($"no hub serves {subject}.");
        if (NatsChunks.Text(reply.Headers, NatsHeaderNames.Error) is { } error) throw new TransportException($"hub says: {error}");
        return reply;
    }

    private static string HubOf(NatsMsg<byte[]> reply) =>
        NatsChunks.Text(reply.Headers, NatsHeaderNames.Hub) is { Length: > 0 } hub ? hub : throw new TransportException($"a reply on {reply.Subject} does not name its hub.");

    // Nothing came back: the NATS server restarted or the hub is reconnecting. Going on with the
    // same hub is safe (a round is stateless); a hub that stays away fails the session.
    private async Task<T> WithRetriesAsync<T>(Func<Task<T>> attempt, CancellationToken cancellationToken)
    {
        var delay = _options.RetryDelay;
        for (int tries = 0; ; tries++)
        {
            try
            {
                return await attempt().ConfigureAwait(false);
            }
            catch (NoReplyException ex)
            {
                if (tries >= _options.Retries || cancellationToken.IsCancellationRequested) throw new TransportException(ex.Message, ex.InnerException);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay *= 2;
            }
        }
    }

    /// <summary>A round that got no reply at all: worth sending again.</summary>
    private sealed class NoReplyException(string message, Exception? inner = null) : Exception(message, inner);
}
