using FossilSync.Primitives;

namespace FossilSync.Xfer;

/// <summary>
/// Bounds the decoder enforces so a hostile or broken peer cannot make us allocate without
/// limit (stock fossil has none: it trusts every size it is sent).
/// </summary>
public sealed record XferLimits
{
    /// <summary>The defaults: 256 MiB per payload, 1 GiB per message, 64 KiB per line, a million cards per message.</summary>
    public static XferLimits Default { get; } = new();

    /// <summary>Largest payload of one card.</summary>
    public int MaxPayloadSize { get; init; } = BlobCompression.DefaultMaxSize;

    /// <summary>Largest uncompressed message.</summary>
    public long MaxMessageSize { get; init; } = 1L << 30;

    /// <summary>Longest card line.</summary>
    public int MaxLineLength { get; init; } = 64 * 1024;

    /// <summary>
    /// Most cards in one decoded message, comments and blank lines included. Each decoded card
    /// costs memory far beyond its bytes on the wire (a two-byte <c>#</c> line becomes an
    /// object), so the byte limit alone would let a small compressed reply fill the memory.
    /// A stock server sends at most a few thousand cards per round.
    /// </summary>
    public int MaxCards { get; init; } = 1_000_000;
}
