using System.Security.Cryptography;

namespace FossilSync.Primitives;

/// <summary>
/// Artifact names: the lowercase hex SHA1 or SHA3-256 of the raw artifact bytes (no header,
/// unlike git). Only lowercase names are valid, because stock fossil compares names as bytes.
/// </summary>
public static class ArtifactHash
{
    /// <summary>Length of a SHA1 name in hex digits.</summary>
    public const int Sha1Length = 40;

    /// <summary>Length of a SHA3-256 name in hex digits.</summary>
    public const int Sha3Length = 64;

    /// <summary>Hashes <paramref name="content"/> and returns its lowercase hex name.</summary>
    public static string Compute(ReadOnlySpan<byte> content, HashKind kind)
    {
        Span<byte> digest = stackalloc byte[32];
        int written = kind switch
        {
            HashKind.Sha1 => SHA1.HashData(content, digest),
            HashKind.Sha3_256 => SHA3_256.HashData(content, digest),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        return Convert.ToHexStringLower(digest[..written]);
    }

    /// <summary>The algorithm new artifacts are named with under <paramref name="policy"/>.</summary>
    public static HashKind KindForNewArtifacts(HashPolicy policy) =>
        policy is HashPolicy.Sha1 or HashPolicy.Auto ? HashKind.Sha1 : HashKind.Sha3_256;

    /// <summary>True for a well-formed name: 40 or 64 lowercase hex digits.</summary>
    public static bool IsValid(ReadOnlySpan<char> name) =>
        (name.Length == Sha1Length || name.Length == Sha3Length) && IsLowerHex(name);

    /// <summary>True for a well-formed name given as ASCII bytes (as it arrives on the wire).</summary>
    public static bool IsValid(ReadOnlySpan<byte> name)
    {
        if (name.Length != Sha1Length && name.Length != Sha3Length) return false;
        foreach (byte b in name)
        {
            if (!((b >= (byte)'0' && b <= (byte)'9') || (b >= (byte)'a' && b <= (byte)'f'))) return false;
        }
        return true;
    }

    /// <summary>The algorithm a valid name was made with, told by its length.</summary>
    /// <exception cref="ArgumentException">The name is not a valid artifact name.</exception>
    public static HashKind KindOf(ReadOnlySpan<char> name)
    {
        if (!IsValid(name)) throw new ArgumentException($"'{name}' is not an artifact name (40 or 64 lowercase hex digits).", nameof(name));
        return name.Length == Sha1Length ? HashKind.Sha1 : HashKind.Sha3_256;
    }

    /// <summary>True when <paramref name="content"/> hashes to <paramref name="name"/>, using the algorithm the name's length implies.</summary>
    public static bool Matches(string name, ReadOnlySpan<byte> content) =>
        IsValid(name) && string.Equals(Compute(content, KindOf(name)), name, StringComparison.Ordinal);

    /// <summary>Throws <see cref="CorruptContentException"/> unless <paramref name="content"/> hashes to <paramref name="name"/>.</summary>
    public static void Verify(string name, ReadOnlySpan<byte> content)
    {
        if (!IsValid(name)) throw new CorruptContentException($"'{name}' is not an artifact name (40 or 64 lowercase hex digits).");
        string actual = Compute(content, KindOf(name));
        if (!string.Equals(actual, name, StringComparison.Ordinal))
        {
            throw new CorruptContentException($"content of artifact {name} hashes to {actual}: wrong content for that name.");
        }
    }

    private static bool IsLowerHex(ReadOnlySpan<char> s)
    {
        foreach (char c in s)
        {
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
        }
        return true;
    }
}
