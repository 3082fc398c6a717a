using FossilSync.Xfer;

namespace FossilSync.Server;

/// <summary>The reply to one <see cref="SyncRequest"/>: the body to send and its Content-Type.</summary>
/// <param name="Body">The reply body, framed as <paramref name="ContentType"/> says.</param>
/// <param name="ContentType">One of the <see cref="XferContentType"/> types.</param>
public sealed record SyncResponse(byte[] Body, string ContentType)
{
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
}
