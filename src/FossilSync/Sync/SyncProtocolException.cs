namespace FossilSync.Sync;

/// <summary>The peer refused (an <c>error</c> card) or broke the protocol; the session stopped and nothing of the failing round was kept.</summary>
public sealed class SyncProtocolException : FossilSyncException
{
    /// <summary>Creates the exception with a message.</summary>
    public SyncProtocolException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public SyncProtocolException(string message, Exception? innerException) : base(message, innerException) { }
}
