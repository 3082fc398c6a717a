namespace FossilSync.Server;

/// <summary>
/// One sync request as it arrived, whatever carried it (HTTP, a message bus, a test): the body's
/// bytes exactly as sent and its Content-Type, which decides the framing.
/// </summary>
/// <param name="Body">The request body as received (compressed or plain, per <paramref name="ContentType"/>).</param>
/// <param name="ContentType">One of the <see cref="Xfer.XferContentType"/> types.</param>
public sealed record SyncRequest(ReadOnlyMemory<byte> Body, string ContentType)
{
    /// <summary>The client's address, recorded with what it sends (stock's <c>rcvfrom.ipaddr</c>); null when unknown.</summary>
    public string? RemoteAddress { get; init; }

    /// <summary>
    /// The W3C <c>traceparent</c> the client sent (an HTTP header, a message header): the server's
    /// span joins the client's trace through it when the host has no current activity of its own.
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>The W3C <c>tracestate</c> sent with <see cref="TraceParent"/>.</summary>
    public string? TraceState { get; init; }
}
