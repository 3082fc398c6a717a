namespace FossilSync.Observability;

/// <summary>
/// Hooks into clones, syncs and server requests as they run: for logging, metrics or UI. Every
/// method has a default, so an observer implements only what it needs and new hooks break no
/// implementer. One instance may be shared by concurrent sessions and server requests: each
/// session (and request) calls it one call at a time, different ones call it concurrently, and
/// each call names its session so the observer can keep them apart. A throwing observer fails
/// the session (or the request).
/// </summary>
public interface ISyncObserver
{
    /// <summary>A session (clone or sync) begins (older hook; see <see cref="OnSessionStart(SyncSessionInfo)"/>).</summary>
    void OnSessionStart(SyncSessionKind kind) { }

    /// <summary>A round's request is about to be sent (older hook; see <see cref="OnRoundStart(SyncSessionInfo, int)"/>).</summary>
    void OnRoundStart(int round) { }

    /// <summary>A round's reply has been stored (older hook; see <see cref="OnRoundEnd(SyncSessionInfo, RoundStats)"/>).</summary>
    void OnRoundEnd(RoundStats stats) { }

    /// <summary>The session ended (older hook; see <see cref="OnSessionEnd(SyncSessionInfo, SessionTotals, Exception?)"/>).</summary>
    void OnSessionEnd(SyncSessionKind kind, int rounds, Exception? error) { }

    /// <summary>A client session begins: what it is and whom it talks to. By default calls <see cref="OnSessionStart(SyncSessionKind)"/>.</summary>
    void OnSessionStart(SyncSessionInfo session) => OnSessionStart(session.Kind);

    /// <summary>A round's request is about to be sent. By default calls <see cref="OnRoundStart(int)"/>.</summary>
    void OnRoundStart(SyncSessionInfo session, int round) => OnRoundStart(round);

    /// <summary>A round's reply has been stored (and committed). By default calls <see cref="OnRoundEnd(RoundStats)"/>.</summary>
    void OnRoundEnd(SyncSessionInfo session, RoundStats stats) => OnRoundEnd(stats);

    /// <summary>The session ended with these totals; <paramref name="error"/> is null on success. By default calls <see cref="OnSessionEnd(SyncSessionKind, int, Exception?)"/>.</summary>
    void OnSessionEnd(SyncSessionInfo session, SessionTotals totals, Exception? error) => OnSessionEnd(session.Kind, totals.Rounds, error);

    /// <summary>A protocol error on either side: an error card, a rejected artifact, a retry.</summary>
    void OnError(SyncErrorInfo error) { }

    /// <summary>The server begins answering one request.</summary>
    void OnServerRequestStart(ServerRequestInfo request) { }

    /// <summary>The server has answered (or failed) one request.</summary>
    void OnServerRequestEnd(ServerRequestInfo request, ServerRequestStats stats) { }

    /// <summary>A session or request begins exchanging the rows of one synced table.</summary>
    void OnTableSyncStart(TableSyncInfo table) { }

    /// <summary>The rows of one synced table have been exchanged.</summary>
    void OnTableSyncEnd(TableSyncInfo table, TableSyncStats stats) { }
}

/// <summary>Which kind of session an observer sees.</summary>
public enum SyncSessionKind
{
    /// <summary>A clone into a new repository.</summary>
    Clone,

    /// <summary>A sync, push or pull of an existing repository.</summary>
    Sync,
}
