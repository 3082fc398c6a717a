namespace FossilSync.Observability;

/// <summary>
/// Hooks into a clone or sync as it runs: for logging, metrics or UI. Every method has an empty
/// default, so an observer implements only what it needs. Called on the session's own flow,
/// one call at a time; a throwing observer fails the session.
/// </summary>
public interface ISyncObserver
{
    /// <summary>A session (clone or sync) begins.</summary>
    void OnSessionStart(SyncSessionKind kind) { }

    /// <summary>A round's request is about to be sent.</summary>
    void OnRoundStart(int round) { }

    /// <summary>A round's reply has been stored (and committed).</summary>
    void OnRoundEnd(RoundStats stats) { }

    /// <summary>The session ended; <paramref name="error"/> is null on success.</summary>
    void OnSessionEnd(SyncSessionKind kind, int rounds, Exception? error) { }
}

/// <summary>Which kind of session an observer sees.</summary>
public enum SyncSessionKind
{
    /// <summary>A clone into a new repository.</summary>
    Clone,

    /// <summary>A sync, push or pull of an existing repository.</summary>
    Sync,
}

/// <summary>What one round moved.</summary>
public sealed record RoundStats(int Round, int FilesSent, int FilesReceived, long BytesSent, long BytesReceived);
