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

    /// <summary>
    /// Most login cards in one message: each makes every later byte hashed once more. Stock
    /// clients send one; stock 2.21 servers check each against the bytes after it.
    /// </summary>
    public int MaxLoginCards { get; init; } = 4;

    /// <summary>Longest card line.</summary>
    public int MaxLineLength { get; init; } = 64 * 1024;

    /// <summary>
    /// Most card lines in one message, comments and blank lines included. A line costs far more to
    /// handle than its bytes on the wire (a small compressed message can hold millions of two-byte
    /// <c>#</c> lines), so the byte limit alone would let it fill memory or a core. Stock peers
    /// send thousands of cards per round; a clone by protocol 1 advertises one per artifact.
    /// </summary>
    public int MaxCards { get; init; } = 1_000_000;

    /// <summary>
    /// Largest JSON payload of one table-sync card (<c>xschema</c>, <c>xrow</c>, <c>xdelete</c>):
    /// a row is parsed whole into a document, so it gets a bound of its own, well below an artifact's.
    /// </summary>
    public int MaxTableRowSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// Most row versions of synced tables a peer names or sends in one message (<c>xigot</c>,
    /// <c>xrow</c>, <c>xdelete</c>): a bigger catalogue is spread over rounds, so a table of any
    /// size stays well inside <see cref="MaxCards"/> of a peer with default limits.
    /// </summary>
    public int MaxTableVersionsPerMessage { get; init; } = 100_000;
}
