using FossilSync.Primitives;

namespace FossilSync.Xfer;

/// <summary>
/// Bounds the decoder enforces so a hostile or broken peer cannot make us allocate without
/// limit (stock fossil has none: it trusts every size it is sent).
/// </summary>
public sealed record XferLimits
{
    /// <summary>The defaults: 256 MiB per payload, 1 GiB per message, 64 KiB per line.</summary>
    public static XferLimits Default { get; } = new();

    /// <summary>Largest payload of one card.</summary>
    public int MaxPayloadSize { get; init; } = BlobCompression.DefaultMaxSize;

    /// <summary>Largest uncompressed message.</summary>
    public long MaxMessageSize { get; init; } = 1L << 30;

    /// <summary>
    /// Most login cards in one message: each makes every later byte hashed once more. Stock
    /// clients send one; stock 2.21 servers check each against the bytes after it.
    /// </summary>
    public int MaxLoginCards { get; init; } = 4;

    /// <summary>Longest card line.</summary>
    public int MaxLineLength { get; init; } = 64 * 1024;
}
