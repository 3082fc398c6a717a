namespace FossilSync.Sync;

/// <summary>The peer refused (an <c>error</c> card) or broke the protocol; the session stopped and nothing of the failing round was kept.</summary>
/// <remarks>Branch on <see cref="Reason"/>; the message is for people and may change.</remarks>
public sealed class SyncProtocolException : FossilSyncException
{
    /// <summary>Creates the exception with a message and no reason (<see cref="SyncFailureReason.Unspecified"/>).</summary>
    public SyncProtocolException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it, and no reason.</summary>
    public SyncProtocolException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with its reason, a message and optionally the error that caused it.</summary>
    public SyncProtocolException(SyncFailureReason reason, string message, Exception? innerException = null) : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>Why the session stopped.</summary>
    public SyncFailureReason Reason { get; }

    /// <summary>The text of the server's <c>error</c> card, when the server refused; null when the failure was found on this side.</summary>
    public string? ServerMessage { get; init; }

    /// <summary>The exception for an <c>error</c> card, its reason read from stock's error texts.</summary>
    internal static SyncProtocolException FromServerError(string text) =>
        new(ReasonOf(text), $"server error: {text}") { ServerMessage = text };

    // Stock's texts ("login failed", "not authorized to write", "wrong project"); the
    // authorization ones may carry a suffix about the 'localauth' setting.
    private static SyncFailureReason ReasonOf(string text) =>
        text.StartsWith("login failed", StringComparison.Ordinal) ? SyncFailureReason.LoginFailed
        : text.StartsWith("not authorized", StringComparison.Ordinal) ? SyncFailureReason.NotAuthorized
        : text.StartsWith("wrong project", StringComparison.Ordinal) ? SyncFailureReason.WrongProject
        : SyncFailureReason.ServerError;
}
