using FossilSync.Primitives;
using FossilSync.Xfer;

namespace FossilSync.Server;

/// <summary>The reply to one <see cref="SyncRequest"/>: the body to send and its Content-Type.</summary>
/// <param name="Body">The reply body, framed as <paramref name="ContentType"/> says.</param>
/// <param name="ContentType">One of the <see cref="XferContentType"/> types.</param>
/// <remarks>
/// A clone page's reply (megabytes of stored artifacts, sent as they are) is encoded only when
/// it is sent: a host that writes it with <see cref="WriteToAsync"/> streams it straight from
/// the handler's pooled buffers, and <see cref="Body"/> encodes it into an array the first
/// time it is read. It is encoded once: after <see cref="WriteToAsync"/> has written such a
/// reply, <see cref="Body"/> is gone (read it first to keep it).
/// </remarks>
public sealed record SyncResponse(byte[] Body, string ContentType)
{
    private byte[]? _body = Body;
    private PendingBody? _pending;

    private SyncResponse(PendingBody pending, string contentType)
        : this(Body: null!, contentType)
    {
        _pending = pending;
    }

    // A copy ('with') owns no pooled buffers: it gets the encoded body.
    private SyncResponse(SyncResponse original)
    {
        _body = original.Body;
        ContentType = original.ContentType;
    }

    /// <summary>The reply body, framed as <see cref="ContentType"/> says.</summary>
    /// <exception cref="InvalidOperationException">The reply was encoded straight into a stream by <see cref="WriteToAsync"/> and not kept.</exception>
    public byte[] Body
    {
        get
        {
            if (_body is not null) return _body;
            var pending = Unsent;
            _body = pending.Message.Encode(pending.Length);
            Release();
            return _body;
        }
        init => _body = value;
    }

    /// <summary>The body's length in bytes, without encoding a reply that is not encoded yet.</summary>
    public long Length => _body?.LongLength ?? Unsent.Length;

    /// <summary>
    /// Writes the body to <paramref name="destination"/>: a reply not encoded yet is encoded
    /// straight into it in pieces, and its pooled buffers go back once written.
    /// </summary>
    /// <exception cref="InvalidOperationException">The reply was written by an earlier call and not kept.</exception>
    public async Task WriteToAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (_body is not null)
        {
            await destination.WriteAsync(_body, cancellationToken).ConfigureAwait(false);
            return;
        }
        var pending = Unsent;
        try
        {
            await pending.Message.WriteToAsync(destination, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Release();
        }
    }

    /// <summary>
    /// A reply carrying only an <c>error</c> card, framed like the request: what a host sends when
    /// it refuses a request itself (too large, no repository), so stock clients print the reason.
    /// </summary>
    public static SyncResponse Error(string requestContentType, string message) =>
        FromCards([new ErrorCard(message)], XferContentType.IsCompressed(requestContentType));

    internal static SyncResponse FromCards(IEnumerable<XferCard> cards, bool compressed)
    {
        var message = new XferMessage(cards);
        return compressed
            ? new SyncResponse(message.EncodeCompressed(), XferContentType.Compressed)
            : new SyncResponse(message.Encode(), XferContentType.Uncompressed);
    }

    /// <summary>A plain reply encoded only when it is sent, whose cards point into <paramref name="payloads"/> (given back then).</summary>
    internal static SyncResponse Pending(IEnumerable<XferCard> cards, PooledArena payloads)
    {
        var message = new XferMessage(cards);
        return new SyncResponse(new PendingBody(message, message.EncodedLength(), payloads), XferContentType.Uncompressed);
    }

    // The reply not encoded yet; once WriteToAsync has written it without keeping it, there is none.
    private PendingBody Unsent => _pending ?? throw new InvalidOperationException("the reply was written by WriteToAsync and not kept: read Body before writing it to keep it.");

    private void Release()
    {
        _pending?.Payloads.Dispose();
        _pending = null;
    }

    private sealed record PendingBody(XferMessage Message, long Length, PooledArena Payloads);
}
