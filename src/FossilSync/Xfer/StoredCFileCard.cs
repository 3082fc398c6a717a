namespace FossilSync.Xfer;

/// <summary>
/// A <see cref="CFileCard"/> as a clone page sends it by the thousand: its name and its delta
/// source's name are the stored UTF-8 bytes, in the same pooled memory as the payload, never
/// made into strings (and back) only to be written. Written exactly as a <see cref="CFileCard"/>;
/// read back, it is one.
/// </summary>
/// <param name="Hash">The artifact's name.</param>
/// <param name="DeltaSource">The delta source's name; empty for a full artifact.</param>
/// <param name="UncompressedSize">The full artifact's size.</param>
/// <param name="Payload">The stored envelope.</param>
internal sealed record StoredCFileCard(ReadOnlyMemory<byte> Hash, ReadOnlyMemory<byte> DeltaSource, long UncompressedSize, ReadOnlyMemory<byte> Payload) : XferCard;
