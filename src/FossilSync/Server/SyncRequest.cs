using FossilSync.Primitives;
using FossilSync.Xfer;

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

    /// <summary>
    /// The user the request's login card names (stock clients put it first), read before the
    /// round runs: for a wrapper that limits or routes per user. It is only claimed here; the
    /// round checks the signature and refuses a forged one.
    /// </summary>
    /// <returns>The login's user, or null when the request has none (nobody) or cannot be read.</returns>
    public async ValueTask<string?> ReadClaimedUserAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using var reader = XferContentType.IsCompressed(ContentType)
                ? await XferReader.CreateAsync(new ReadOnlyMemoryStream(Body), compressed: true, XferLimits.Default, cancellationToken).ConfigureAwait(false)
                : XferReader.FromMemory(Body, XferLimits.Default);
            reader.SkipComments = true;
            return await reader.ReadCardAsync(_ => PayloadAdmission.Refuse, cancellationToken).ConfigureAwait(false) is LoginCard login ? login.User : null;
        }
        catch (XferFormatException)
        {
            return null;
        }
    }
}
