namespace FossilSync.Xfer;

/// <summary>
/// The HTTP Content-Types of sync messages, and the one rule for a body's framing: it comes
/// from the type, never from guessing.
/// </summary>
public static class XferContentType
{
    /// <summary>A 4-byte size and a zlib stream of the card text (what stock clients send).</summary>
    public const string Compressed = "application/x-fossil";

    /// <summary>Plain card text (stock's clone pages, whose <c>cfile</c>s are compressed already).</summary>
    public const string Uncompressed = "application/x-fossil-uncompressed";

    /// <summary>Plain card text, as stock's <c>--httptrace</c> debugging sends it.</summary>
    public const string Debug = "application/x-fossil-debug";

    /// <summary>True for any sync message type (stock answers every <c>application/x-fossil*</c> POST).</summary>
    public static bool IsSyncMessage(string? contentType) =>
        contentType is not null && contentType.StartsWith(Compressed, StringComparison.Ordinal);

    /// <summary>True when a body of this type is compressed (false for the plain text types).</summary>
    public static bool IsCompressed(string contentType) =>
        !(contentType.StartsWith(Uncompressed, StringComparison.Ordinal) || contentType.StartsWith(Debug, StringComparison.Ordinal));
}
