using System.Diagnostics;

namespace FossilSync.Observability;

/// <summary>
/// One session's observer calls, spans and metrics in one place, so the clone and sync loops
/// report the same way. Spans parent to the caller's current activity; a session's state is
/// its own, never shared with concurrent sessions.
/// </summary>
internal sealed class SessionTracker : IDisposable
{
    private readonly ISyncObserver? _observer;
    private readonly SyncSessionKind _kind;
    private readonly Activity? _session;
    private Activity? _round;
    private int _rounds;

    /// <summary>Runs a session's rounds, reporting its start and its end (with the error, if any).</summary>
    public static async Task<T> RunAsync<T>(SyncSessionKind kind, ISyncObserver? observer, Func<SessionTracker, Task<T>> rounds)
    {
        using var tracker = new SessionTracker(kind, observer);
        try
        {
            var result = await rounds(tracker).ConfigureAwait(false);
            tracker.End(null);
            return result;
        }
        catch (Exception ex)
        {
            tracker.End(ex);
            throw;
        }
    }

    public SessionTracker(SyncSessionKind kind, ISyncObserver? observer)
    {
        _kind = kind;
        _observer = observer;
        _session = FossilSyncTelemetry.Source.StartActivity(kind == SyncSessionKind.Clone ? "fossilsync.clone" : "fossilsync.sync");
        _observer?.OnSessionStart(kind);
    }

    public void RoundStart(int round)
    {
        _rounds = round;
        _round = FossilSyncTelemetry.Source.StartActivity("fossilsync.round");
        _round?.SetTag("fossilsync.round", round);
        _observer?.OnRoundStart(round);
    }

    public void RoundEnd(RoundStats stats)
    {
        FossilSyncTelemetry.Rounds.Add(1);
        FossilSyncTelemetry.ArtifactsReceived.Add(stats.FilesReceived);
        FossilSyncTelemetry.ArtifactsSent.Add(stats.FilesSent);
        FossilSyncTelemetry.BytesReceived.Add(stats.BytesReceived);
        if (_round is not null)
        {
            _round.SetTag("fossilsync.files.received", stats.FilesReceived);
            _round.SetTag("fossilsync.files.sent", stats.FilesSent);
            _round.Dispose();
            _round = null;
        }
        _observer?.OnRoundEnd(stats);
    }

    /// <summary>Ends the session; pass the exception when it failed.</summary>
    public void End(Exception? error)
    {
        if (_round is not null)
        {
            _round.SetStatus(ActivityStatusCode.Error, error?.Message);
            _round.Dispose();
            _round = null;
        }
        _session?.SetTag("fossilsync.rounds", _rounds);
        if (error is not null) _session?.SetStatus(ActivityStatusCode.Error, error.Message);
        _observer?.OnSessionEnd(_kind, _rounds, error);
    }

    public void Dispose() => _session?.Dispose();
}
