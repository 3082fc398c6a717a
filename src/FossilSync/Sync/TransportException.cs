namespace FossilSync.Sync;

/// <summary>A round that failed on the way: unreachable peer, HTTP error, or a reply that is not a sync message.</summary>
public sealed class TransportException : FossilSyncException
{
    /// <summary>Creates the exception with a message.</summary>
    public TransportException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public TransportException(string message, Exception? innerException) : base(message, innerException) { }
}
