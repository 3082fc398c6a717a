namespace FossilSync.Observability;

/// <summary>One protocol error, on the client or the server.</summary>
/// <param name="SessionId">The <see cref="SyncSessionInfo.Id"/> or <see cref="ServerRequestInfo.Id"/> it belongs to.</param>
/// <param name="Kind">What kind of error.</param>
/// <param name="Message">The error's text (an error card's as sent).</param>
/// <param name="IsFatal">Whether it ended the session or request.</param>
public sealed record SyncErrorInfo(long SessionId, SyncErrorKind Kind, string Message, bool IsFatal);

/// <summary>Kinds of protocol errors.</summary>
public enum SyncErrorKind
{
    /// <summary>The client received an <c>error</c> card.</summary>
    ServerError,

    /// <summary>The server answered with an <c>error</c> card (a refusal, a bad login, a damaged artifact).</summary>
    RequestRefused,

    /// <summary>An artifact was rejected (damaged, or not allowed).</summary>
    RejectedArtifact,

    /// <summary>Work was retried (a server round that met another writer).</summary>
    Retry,

    /// <summary>The session or request failed with an exception.</summary>
    Failure,

    /// <summary>A synced table or one of its rows was left out (refused or incompatible); the rest of the sync went on.</summary>
    TableRefused,
}
