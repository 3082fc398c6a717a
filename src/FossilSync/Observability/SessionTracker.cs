using System.Diagnostics;

namespace FossilSync.Observability;

/// <summary>
/// One client session's observer calls, spans and metrics in one place, so the clone and sync
/// loops report the same way. Spans parent to the caller's current activity; a session's state
/// is its own, never shared with concurrent sessions, and every observer call names the session.
/// With no observer and no listener a round allocates nothing here.
/// </summary>
internal sealed class SessionTracker : IDisposable
{
    private readonly ISyncObserver? _observer;
    private readonly Activity? _session;
    private readonly long _started = Stopwatch.GetTimestamp();
    private Activity? _round;
    private long _roundStarted;
    private int _rounds;
    private int _errors;
    private bool _fatalReported;
    private RoundCounts _totals;
    private List<string>? _nonFatal;

    /// <summary>Runs a session's rounds, reporting its start and its end (with the error, if any).</summary>
    public static async Task<T> RunAsync<T>(SyncSessionInfo info, ISyncObserver? observer, Func<SessionTracker, Task<T>> rounds)
    {
        using var tracker = new SessionTracker(info, observer);
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

    /// <summary>What the session is, for the session's own start.</summary>
    public static SyncSessionInfo Describe(SyncSessionKind kind, SyncModes modes, string? projectCode, Uri? peer) =>
        new(FossilSyncTelemetry.NextId(), kind, modes, projectCode, peer is null ? null : PeerIdOf(peer));

    public SessionTracker(SyncSessionInfo info, ISyncObserver? observer)
    {
        Info = info;
        ProjectCode = info.ProjectCode;
        _observer = observer;
        _session = FossilSyncTelemetry.Source.StartActivity(info.Kind == SyncSessionKind.Clone ? "fossilsync.clone" : "fossilsync.sync", ActivityKind.Internal);
        if (_session is { IsAllDataRequested: true })
        {
            _session.SetTag(FossilSyncTelemetry.OperationTag, info.Operation);
            if (info.PeerId is not null) _session.SetTag("fossilsync.peer", info.PeerId);
            if (info.ProjectCode is not null) _session.SetTag("fossilsync.project_code", info.ProjectCode);
        }
        _observer?.OnSessionStart(info);
    }

    /// <summary>What the session is.</summary>
    public SyncSessionInfo Info { get; }

    /// <summary>The project code, once known (a clone learns it from the server).</summary>
    public string? ProjectCode { get; set; }

    /// <summary>Errors that did not end the session, in order.</summary>
    public IReadOnlyList<string> NonFatalErrors => _nonFatal ?? (IReadOnlyList<string>)[];

    /// <summary>The sums of the rounds ended so far.</summary>
    public SessionTotals Totals => new(_rounds, _totals.FilesSent, _totals.FilesReceived, _totals.BytesSent, _totals.BytesReceived,
        _totals.GimmesSent, _totals.GimmesReceived, _totals.IGotsSent, _totals.IGotsReceived, _totals.UnversionedSent, _totals.UnversionedReceived, _errors, ProjectCode);

    /// <summary>Unversioned files sent and received so far.</summary>
    public (int Sent, int Received) Unversioned => (_totals.UnversionedSent, _totals.UnversionedReceived);

    /// <summary><c>gimme</c> cards sent so far.</summary>
    public int GimmesSent => _totals.GimmesSent;

    public void RoundStart(int round)
    {
        _rounds = round;
        _roundStarted = Stopwatch.GetTimestamp();
        _round = FossilSyncTelemetry.Source.StartActivity("fossilsync.round", ActivityKind.Client);
        _round?.SetTag("fossilsync.round", round);
        _observer?.OnRoundStart(Info, round);
    }

    public void RoundEnd(int round, in RoundCounts counts)
    {
        _totals.Add(counts);
        var operation = FossilSyncTelemetry.Operation(Info.Operation);
        FossilSyncTelemetry.Rounds.Add(1, operation);
        FossilSyncTelemetry.ArtifactsReceived.Add(counts.FilesReceived, operation);
        FossilSyncTelemetry.ArtifactsSent.Add(counts.FilesSent, operation);
        FossilSyncTelemetry.BytesReceived.Add(counts.BytesReceived, operation);
        FossilSyncTelemetry.BytesSent.Add(counts.BytesSent, operation);
        if (FossilSyncTelemetry.RoundDuration.Enabled) FossilSyncTelemetry.RoundDuration.Record(Stopwatch.GetElapsedTime(_roundStarted).TotalSeconds, operation);
        if (_round is not null)
        {
            if (_round.IsAllDataRequested)
            {
                _round.SetTag("fossilsync.files.received", counts.FilesReceived);
                _round.SetTag("fossilsync.files.sent", counts.FilesSent);
                _round.SetTag("fossilsync.bytes.received", counts.BytesReceived);
                _round.SetTag("fossilsync.bytes.sent", counts.BytesSent);
                _round.SetTag("fossilsync.gimmes.sent", counts.GimmesSent);
                _round.SetTag("fossilsync.igots.received", counts.IGotsReceived);
            }
            _round.Dispose();
            _round = null;
        }
        _observer?.OnRoundEnd(Info, counts.ToStats(round));
    }

    /// <summary>A table takes part in the session (reported once per table).</summary>
    public void TableSyncStart(string table) => _observer?.OnTableSyncStart(new TableSyncInfo(Info.Id, table));

    /// <summary>A table's part of the session is over, with what it moved.</summary>
    public void TableSyncEnd(string table, int rowsSent, int rowsReceived) =>
        _observer?.OnTableSyncEnd(new TableSyncInfo(Info.Id, table), new TableSyncStats(rowsSent, rowsReceived));

    /// <summary>A protocol error: reported to the observer (and the span); a non-fatal one is kept for the result.</summary>
    public void Error(SyncErrorKind kind, string message, bool fatal)
    {
        _errors++;
        _fatalReported |= fatal;
        if (!fatal) (_nonFatal ??= []).Add(message);
        (_round ?? _session)?.AddEvent(new ActivityEvent("fossilsync.error", tags: new ActivityTagsCollection { ["fossilsync.error.kind"] = kind.ToString(), ["fossilsync.error.message"] = message }));
        _observer?.OnError(new SyncErrorInfo(Info.Id, kind, message, fatal));
    }

    /// <summary>Ends the session; pass the exception when it failed.</summary>
    public void End(Exception? error)
    {
        // A failure no error card explained (the network, a damaged reply, cancellation) is an error too.
        if (error is not null && !_fatalReported) Error(SyncErrorKind.Failure, error.Message, fatal: true);
        if (_round is not null)
        {
            _round.SetStatus(ActivityStatusCode.Error, error?.Message);
            _round.Dispose();
            _round = null;
        }
        string outcome = error is null ? "success" : error is OperationCanceledException ? "cancelled" : "error";
        if (FossilSyncTelemetry.SessionDuration.Enabled)
        {
            double seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
            if (error is null) FossilSyncTelemetry.SessionDuration.Record(seconds, FossilSyncTelemetry.Operation(Info.Operation), FossilSyncTelemetry.Outcome(outcome));
            else FossilSyncTelemetry.SessionDuration.Record(seconds, FossilSyncTelemetry.Operation(Info.Operation), FossilSyncTelemetry.Outcome(outcome), new(FossilSyncTelemetry.ErrorTypeTag, error.GetType().FullName));
        }
        if (_session is not null)
        {
            _session.SetTag("fossilsync.rounds", _rounds);
            _session.SetTag(FossilSyncTelemetry.OutcomeTag, outcome);
            if (ProjectCode is not null) _session.SetTag("fossilsync.project_code", ProjectCode);
            if (error is not null)
            {
                _session.SetTag(FossilSyncTelemetry.ErrorTypeTag, error.GetType().FullName);
                _session.SetStatus(ActivityStatusCode.Error, error.Message);
            }
        }
        _observer?.OnSessionEnd(Info, Totals, error);
    }

    public void Dispose() => _session?.Dispose();

    // The peer as a user would name it, never with the password a URL may carry.
    private static string PeerIdOf(Uri peer) =>
        peer.UserInfo.Length == 0 ? peer.AbsoluteUri : new UriBuilder(peer) { UserName = "", Password = "" }.Uri.AbsoluteUri;
}
