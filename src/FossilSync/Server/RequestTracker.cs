using System.Diagnostics;
using FossilSync.Observability;
using FossilSync.Repo;
using FossilSync.Xfer;
using Microsoft.Extensions.Logging;

namespace FossilSync.Server;

/// <summary>
/// One server request's span, metrics, observer calls and log events in one place. The span
/// parents to the host's current activity (ASP.NET Core's request), or else to the
/// <c>traceparent</c> the request carried, so client and server share one trace.
/// </summary>
internal sealed class RequestTracker : IDisposable
{
    private readonly ISyncObserver? _observer;
    private readonly ILogger? _logger;
    private readonly Activity? _activity;
    private readonly long _started = Stopwatch.GetTimestamp();

    public RequestTracker(Repository repository, SyncRequest request, SyncServerOptions options)
    {
        _observer = options.Observer;
        _logger = options.Logger;
        Info = new ServerRequestInfo(FossilSyncTelemetry.NextId(), repository.ProjectCode, request.RemoteAddress, request.Body.Length);
        var parent = Activity.Current is null && request.TraceParent is { } traceParent && ActivityContext.TryParse(traceParent, request.TraceState, isRemote: true, out var remote)
            ? remote
            : default;
        _activity = FossilSyncTelemetry.Source.StartActivity("fossilsync.server.request", ActivityKind.Server, parent);
        if (_activity is { IsAllDataRequested: true })
        {
            _activity.SetTag("fossilsync.project_code", Info.ProjectCode);
            if (Info.RemoteAddress is not null) _activity.SetTag("client.address", Info.RemoteAddress);
            _activity.SetTag("fossilsync.bytes.received", Info.BytesIn);
        }
        _observer?.OnServerRequestStart(Info);
    }

    public ServerRequestInfo Info { get; }

    // Marks an exception this tracker logged, so a wrapper's failure is logged once, not twice.
    private const string LoggedKey = "FossilSync.Server.Logged";

    /// <summary>Whether <paramref name="error"/> was logged by a round's tracker already.</summary>
    public static bool WasLogged(Exception error) => error.Data[LoggedKey] is true;

    /// <summary>The round met another writer and runs again.</summary>
    public void Retried()
    {
        _activity?.AddEvent(new ActivityEvent("fossilsync.retry"));
        if (_logger is not null) ServerLog.RoundRetried(_logger, Info.Id);
        _observer?.OnError(new SyncErrorInfo(Info.Id, SyncErrorKind.Retry, "another writer came first: the round runs again holding the write lock", IsFatal: false));
    }

    /// <summary>The request was answered; <paramref name="round"/> is null when no round ran to its end (busy twice).</summary>
    public void Answered(RoundContext? round, SyncResponse response)
    {
        string? refusal = round is null ? "the repository is busy with another writer" : FirstError(round.Reply);
        var outcome = refusal is null ? ServerRequestOutcome.Ok : ServerRequestOutcome.Refused;
        if (refusal is not null)
        {
            var kind = round?.RejectedArtifact == true ? SyncErrorKind.RejectedArtifact : SyncErrorKind.RequestRefused;
            _activity?.AddEvent(new ActivityEvent("fossilsync.error", tags: new ActivityTagsCollection { ["fossilsync.error.kind"] = kind.ToString(), ["fossilsync.error.message"] = refusal }));
            if (_logger is not null) ServerLog.RequestRefused(_logger, Info.Id, Info.RemoteAddress, Info.ProjectCode, refusal);
            _observer?.OnError(new SyncErrorInfo(Info.Id, kind, refusal, IsFatal: true));
        }
        if (_observer is not null && round is not null) ReportTables(round);
        var stats = new ServerRequestStats(round?.Operation ?? "none", round?.UserName, round?.CardsIn ?? 0, round?.Reply.Count ?? 1, round?.FilesIn ?? 0, round?.FilesOut ?? 0, response.Length, outcome, Stopwatch.GetElapsedTime(_started));
        End(stats, null);
    }

    /// <summary>The request failed with an exception (a failing disk, a bug, cancellation).</summary>
    public void Failed(Exception error)
    {
        var outcome = error is OperationCanceledException ? ServerRequestOutcome.Cancelled : ServerRequestOutcome.Failed;
        if (outcome == ServerRequestOutcome.Failed)
        {
            if (_logger is not null)
            {
                ServerLog.RequestFailed(_logger, error, Info.Id, Info.RemoteAddress, Info.ProjectCode);
                error.Data[LoggedKey] = true;
            }
            _observer?.OnError(new SyncErrorInfo(Info.Id, SyncErrorKind.Failure, error.Message, IsFatal: true));
        }
        End(new ServerRequestStats("none", null, 0, 0, 0, 0, 0, outcome, Stopwatch.GetElapsedTime(_started)), error);
    }

    public void Dispose() => _activity?.Dispose();

    // A round is one transaction, so a table's exchange starts and ends within it: both are
    // reported once it is answered, and only for the round that ran to its end (not a retried one).
    private void ReportTables(RoundContext round)
    {
        foreach (var (table, moved) in round.TablesMoved)
        {
            var info = new TableSyncInfo(Info.Id, table);
            _observer!.OnTableSyncStart(info);
            _observer.OnTableSyncEnd(info, new TableSyncStats(moved.Sent, moved.Received));
        }
    }

    private void End(ServerRequestStats stats, Exception? error)
    {
        string outcome = OutcomeName(stats.Outcome);
        var operation = FossilSyncTelemetry.Operation(stats.Operation);
        FossilSyncTelemetry.ServerRequestDuration.Record(stats.Duration.TotalSeconds, operation, FossilSyncTelemetry.Outcome(outcome));
        FossilSyncTelemetry.ServerArtifactsReceived.Add(stats.FilesIn, operation);
        FossilSyncTelemetry.ServerArtifactsSent.Add(stats.FilesOut, operation);
        FossilSyncTelemetry.ServerBytesReceived.Add(Info.BytesIn, operation);
        FossilSyncTelemetry.ServerBytesSent.Add(stats.BytesOut, operation);
        if (_activity is { IsAllDataRequested: true })
        {
            _activity.DisplayName = "fossilsync.server." + stats.Operation;
            _activity.SetTag(FossilSyncTelemetry.OperationTag, stats.Operation);
            _activity.SetTag(FossilSyncTelemetry.OutcomeTag, outcome);
            if (stats.User is not null) _activity.SetTag("enduser.id", stats.User);
            _activity.SetTag("fossilsync.cards.received", stats.CardsIn);
            _activity.SetTag("fossilsync.files.received", stats.FilesIn);
            _activity.SetTag("fossilsync.files.sent", stats.FilesOut);
            _activity.SetTag("fossilsync.bytes.sent", stats.BytesOut);
        }
        if (error is not null)
        {
            _activity?.SetTag(FossilSyncTelemetry.ErrorTypeTag, error.GetType().FullName);
            _activity?.SetStatus(ActivityStatusCode.Error, error.Message);
        }
        if (_logger is not null) ServerLog.RequestCompleted(_logger, stats.Operation, Info.Id, Info.RemoteAddress, Info.ProjectCode, stats.User, stats.CardsIn, stats.FilesIn, stats.FilesOut, stats.BytesOut, stats.Outcome, stats.Duration.TotalMilliseconds);
        _observer?.OnServerRequestEnd(Info, stats);
    }

    private static string OutcomeName(ServerRequestOutcome outcome) => outcome switch
    {
        ServerRequestOutcome.Ok => "success",
        ServerRequestOutcome.Refused => "refused",
        ServerRequestOutcome.Cancelled => "cancelled",
        _ => "error",
    };

    private static string? FirstError(List<XferCard> reply)
    {
        foreach (var card in reply)
        {
            if (card is ErrorCard e) return e.Message;
        }
        return null;
    }
}
