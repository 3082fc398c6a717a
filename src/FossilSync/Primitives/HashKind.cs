namespace FossilSync.Primitives;

/// <summary>The two hash algorithms Fossil names artifacts with; the name's length tells which.</summary>
public enum HashKind
{
    /// <summary>SHA1: 40 lowercase hex digits.</summary>
    Sha1,

    /// <summary>SHA3-256: 64 lowercase hex digits.</summary>
    Sha3_256,
}
