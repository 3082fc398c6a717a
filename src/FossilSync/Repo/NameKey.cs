using System.Buffers.Binary;
using FossilSync.Primitives;

namespace FossilSync.Repo;

/// <summary>
/// An artifact name as the 20 or 32 bytes its hex digits spell: the key of the in-memory name
/// tables of a crosslink session and a clone, which hold every name of the repository (120,000
/// names are 7 MB as keys, 22 MB as strings).
/// </summary>
internal readonly record struct NameKey(ulong A, ulong B, ulong C, ulong D, bool IsSha1)
{
    /// <summary>The key of a well-formed name (40 or 64 lowercase hex digits); false for anything else.</summary>
    public static bool TryCreate(ReadOnlySpan<char> name, out NameKey key)
    {
        key = default;
        if (!ArtifactHash.IsValid(name)) return false;
        Span<byte> bytes = stackalloc byte[32];
        bytes.Clear();
        Convert.FromHexString(name, bytes, out _, out _);
        key = new NameKey(
            BinaryPrimitives.ReadUInt64LittleEndian(bytes),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]),
            name.Length == ArtifactHash.Sha1Length);
        return true;
    }
}
