using Microsoft.Extensions.Logging;

namespace FossilSync.Server;

/// <summary>The server's log events, each with its own event id so a host can filter and count them.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 1801, EventName = "RequestCompleted", Level = LogLevel.Debug,
        Message = "{Operation} request {RequestId} from {RemoteAddress} for {ProjectCode} by {User}: {CardsIn} cards in, {FilesIn} files in, {FilesOut} files out, {BytesOut} bytes out, {Outcome} in {ElapsedMilliseconds} ms")]
    public static partial void RequestCompleted(ILogger logger, string operation, long requestId, string? remoteAddress, string projectCode, string? user, int cardsIn, int filesIn, int filesOut, long bytesOut, Observability.ServerRequestOutcome outcome, double elapsedMilliseconds);

    [LoggerMessage(EventId = 1802, EventName = "RequestRefused", Level = LogLevel.Warning,
        Message = "request {RequestId} from {RemoteAddress} for {ProjectCode} refused: {Reason}")]
    public static partial void RequestRefused(ILogger logger, long requestId, string? remoteAddress, string projectCode, string reason);

    [LoggerMessage(EventId = 1803, EventName = "RequestFailed", Level = LogLevel.Error,
        Message = "request {RequestId} from {RemoteAddress} for {ProjectCode} failed")]
    public static partial void RequestFailed(ILogger logger, Exception exception, long requestId, string? remoteAddress, string projectCode);

    [LoggerMessage(EventId = 1805, EventName = "HandlerFailed", Level = LogLevel.Error,
        Message = "request from {RemoteAddress} failed outside its round (in a wrapper, or before the round began)")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string? remoteAddress);

    [LoggerMessage(EventId = 1804, EventName = "RoundRetried", Level = LogLevel.Debug,
        Message = "request {RequestId}: another writer came first, the round runs again holding the write lock")]
    public static partial void RoundRetried(ILogger logger, long requestId);
}
