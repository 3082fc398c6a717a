namespace FossilSync.Primitives;

/// <summary>
/// Content that cannot be what it claims: a compressed envelope that is truncated, oversized
/// or not zlib, a delta that does not apply, or bytes that do not hash to their artifact name.
/// Nothing derived from such content is ever stored.
/// </summary>
public sealed class CorruptContentException : FossilSyncException
{
    /// <summary>Creates the exception with a message.</summary>
    public CorruptContentException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public CorruptContentException(string message, Exception? innerException) : base(message, innerException) { }
}
