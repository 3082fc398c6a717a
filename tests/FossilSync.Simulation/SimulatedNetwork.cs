using FossilSync.Primitives;
using FossilSync.Server;
using FossilSync.Sync;
using FossilSync.Testing;
using FossilSync.Xfer;

namespace FossilSync.Simulation;

/// <summary>
/// The wire between a client peer and a server peer: each request is compressed as our HTTP
/// transport sends it, passed as bytes to the server's entry point
/// (<see cref="SyncHandler.HandleSyncAsync(FossilSync.Repo.Repository, SyncRequest, SyncServerOptions?, CancellationToken)"/>),
/// and the reply's bytes decoded as the HTTP transport decodes them, so the codec is in the
/// loop. Every byte on the wire goes into the trace. The <c>net.*</c> fault sites live here.
/// </summary>
/// <remarks>
/// Everything runs on the caller's thread and completes before the task is returned: a seed
/// orders every exchange, pipelined clone rounds included.
/// </remarks>
internal sealed class SimulatedNetwork(Peer client, Peer server, SimulationContext context) : ITransport
{
    public Uri? Endpoint { get; } = new($"sim://{server.Name}/");

    public Task<XferMessage> ExchangeAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(Exchange(request));
        }
        catch (Exception ex)
        {
            return Task.FromException<XferMessage>(ex);
        }
    }

    private XferMessage Exchange(ReadOnlyMemory<byte> plain)
    {
        var faults = context.Faults;
        byte[] body = BlobCompression.Compress(plain.Span);
        context.Trace.Add($"> {client.Name} {server.Name}", body);
        if (faults.Fires(FaultSites.RequestLost)) throw new TransportException($"request from {client.Name} to {server.Name} lost");
        bool damaged = faults.Fires(FaultSites.RequestDamaged);
        if (damaged) body = Damage(body);
        var pushed = damaged ? [] : Pushed(plain);
        var response = Serve(body, pushed);
        if (faults.Fires(FaultSites.RequestReplayed)) response = Serve(body, pushed);
        if (faults.Fires(FaultSites.ReplyLost)) throw new TransportException($"reply from {server.Name} to {client.Name} lost");
        byte[] reply = response.Body;
        bool compressed = XferContentType.IsCompressed(response.ContentType);
        if (faults.Fires(FaultSites.ReplyDamaged))
        {
            // An uncompressed body has no checksum: its truncation is what HTTP's Content-Length catches.
            if (!compressed) throw new TransportException($"reply from {server.Name} cut short");
            reply = Damage(reply);
        }
        context.Trace.Add($"< {server.Name} {client.Name}", reply);
        using var stream = new MemoryStream(reply, writable: false);
        var message = XferMessage.ReadAsync(stream, compressed, limits: null, skipComments: true, CancellationToken.None).GetAwaiter().GetResult();
        return RowFaults(message);
    }

    // A row card lost, or one altered so that it no longer fits its table or its name (a broken
    // JSON, a key changed under its name, a value of the wrong type): past the envelope's checks,
    // as a buggy proxy or peer would pass it on.
    private XferMessage RowFaults(XferMessage message)
    {
        int rows = message.Cards.Count(c => c is XRowCard or XDeleteCard);
        if (rows == 0) return message;
        var cards = message.Cards.ToList();
        var random = context.NetworkRandom;
        if (context.Faults.Fires(FaultSites.RowLost))
        {
            int lost = random.Next(rows);
            cards.RemoveAt(cards.FindIndex(c => c is XRowCard or XDeleteCard && lost-- == 0));
        }
        int live = cards.Count(c => c is XRowCard);
        if (live > 0 && context.Faults.Fires(FaultSites.RowCorrupted))
        {
            int which = random.Next(live);
            int at = cards.FindIndex(c => c is XRowCard && which-- == 0);
            var row = (XRowCard)cards[at];
            cards[at] = row with { Json = Corrupt(row.Json.ToArray(), random.Next(3)) };
            context.RowsCorrupted++;
        }
        return new XferMessage(cards);
    }

    // Every table of the run keys on a non-negative integer "id", written first.
    private static byte[] Corrupt(byte[] json, int how)
    {
        int digit = System.Text.Encoding.UTF8.GetString(json).IndexOf("\"id\":", StringComparison.Ordinal) + 5;
        switch (how)
        {
            case 0: return json[..^1];
            case 1:
                json[digit] = (byte)('0' + (json[digit] - '0' + 1) % 10);
                return json;
            default:
                return [.. json[..digit], (byte)'"', json[digit], (byte)'"', .. json[(digit + 1)..]];
        }
    }

    // One server round; a round the server failed (an injected abort or storage failure) is a
    // 500 to the client, and must have left the server's file as it was.
    private SyncResponse Serve(byte[] body, List<string> pushed)
    {
        var repository = server.Repo;
        string before = Digest.Stored(repository);
        int dropping = DroppingSitesFired();
        try
        {
            var response = SyncHandler.HandleSyncAsync(repository, new SyncRequest(body, XferContentType.Compressed) { RemoteAddress = client.Name }, context.ServerOptions)
                .GetAwaiter().GetResult();
            CheckPushStored(response, pushed, dropping);
            return response;
        }
        catch (InjectedFaultException ex)
        {
            string after = Digest.Stored(repository);
            if (after != before) context.Violation("no partial write", $"{server.Name} kept part of a round that failed at {ex.Site}: {before} -> {after}");
            throw new TransportException($"server {server.Name} failed: {ex.Site}");
        }
    }

    // The artifacts a request pushes (file and cfile cards), read from its plain bytes.
    private static List<string> Pushed(ReadOnlyMemory<byte> plain)
    {
        if (plain.Span.IndexOf("\nfile "u8) < 0 && plain.Span.IndexOf("\ncfile "u8) < 0) return [];
        return [.. XferMessage.Decode(plain).Cards.Select(c => c switch { FileCard f => f.Hash, CFileCard f => f.Hash, _ => null }).OfType<string>()];
    }

    // A round the server answered without an error card has committed what it was pushed (unless
    // a server site dropped a file on purpose): a reply that acknowledges a push must not go out
    // before, or without, its commit.
    private void CheckPushStored(SyncResponse response, List<string> pushed, int droppingBefore)
    {
        if (pushed.Count == 0 || DroppingSitesFired() != droppingBefore) return;
        var reply = XferContentType.IsCompressed(response.ContentType) ? XferMessage.DecodeCompressed(response.Body) : XferMessage.Decode(response.Body);
        if (reply.Cards.Any(c => c is ErrorCard)) return;
        foreach (string hash in pushed)
        {
            if (server.Repo.HasArtifact(hash)) continue;
            context.Violation("an acknowledged push is stored", $"{server.Name} answered {client.Name}'s round without an error but does not hold the pushed {hash}");
            return;
        }
    }

    private int DroppingSitesFired() =>
        context.Faults.Fired.GetValueOrDefault(FaultSites.ServerRejectFile) + context.Faults.Fired.GetValueOrDefault(FaultSites.ServerDropPrivate);

    // A truncated body or a flipped bit, as a broken connection or bad memory would leave it.
    private byte[] Damage(byte[] body)
    {
        var random = context.NetworkRandom;
        if (body.Length < 2 || random.Next(2) == 0) return body[..random.Next(body.Length)];
        byte[] copy = (byte[])body.Clone();
        copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        return copy;
    }
}
