namespace FossilSync.Sync;

/// <summary>
/// A round that failed on the way: unreachable peer, connection broken or silent past the read
/// timeout, HTTP error, or a reply that is not a sync message.
/// </summary>
public sealed class TransportException : FossilSyncException
{
    /// <summary>Creates the exception with a message.</summary>
    public TransportException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public TransportException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>The HTTP status code of the reply, when the failure came with one (e.g. 404, 502); null otherwise.</summary>
    public int? StatusCode { get; init; }
}
