namespace FossilSync.Primitives;

/// <summary>
/// The repository's <c>hash-policy</c> config value: which algorithm names new artifacts and
/// which names are accepted. The numbers are the ones stock fossil stores.
/// </summary>
public enum HashPolicy
{
    /// <summary>SHA1 names only (0).</summary>
    Sha1 = 0,

    /// <summary>SHA1 until the first SHA3 artifact arrives, then <see cref="Sha3"/> (1).</summary>
    Auto = 1,

    /// <summary>New names are SHA3-256; SHA1 names are still accepted (2, what <c>fossil new</c> writes).</summary>
    Sha3 = 2,

    /// <summary>SHA3-256 names only (3).</summary>
    Sha3Only = 3,

    /// <summary>Every SHA1 name counts as shunned, except during a clone (4).</summary>
    ShunSha1 = 4,
}
