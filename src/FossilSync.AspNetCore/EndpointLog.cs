using Microsoft.Extensions.Logging;

namespace FossilSync.AspNetCore;

/// <summary>The endpoint's own log events: failures around the handler, which logs its own (18xx).</summary>
internal static partial class EndpointLog
{
    [LoggerMessage(EventId = 1811, EventName = "EndpointRequestFailed", Level = LogLevel.Error,
        Message = "request from {RemoteAddress} failed outside the sync round (reading it, opening the repository or replying)")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string? remoteAddress);
}
