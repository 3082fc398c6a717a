using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FossilSync.Observability;

/// <summary>
/// The <see cref="ActivitySource"/> and <see cref="Meter"/> named <c>FossilSync</c>, the
/// OpenTelemetry-recommended way for a library to emit traces and metrics: nothing is recorded
/// unless the host listens (e.g. with <c>AddFossilSyncInstrumentation()</c>).
/// </summary>
/// <remarks>
/// Instruments follow OpenTelemetry's semantic-convention style: durations are histograms in
/// seconds, amounts are counters with UCUM units, and every measurement carries
/// <c>fossilsync.operation</c> (clone, sync, pull, push) and, where it is known,
/// <c>fossilsync.outcome</c>.
/// </remarks>
public static class FossilSyncTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "FossilSync";

    internal const string OperationTag = "fossilsync.operation";
    internal const string OutcomeTag = "fossilsync.outcome";
    internal const string ErrorTypeTag = "error.type";

    internal static readonly ActivitySource Source = new(Name, typeof(FossilSyncTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Meter Meter = new(Name, typeof(FossilSyncTelemetry).Assembly.GetName().Version?.ToString());

    // Client side.
    internal static readonly Counter<long> Rounds = Meter.CreateCounter<long>("fossilsync.rounds", unit: "{round}", description: "Sync protocol round trips made by clients.");

    internal static readonly Counter<long> ArtifactsReceived = Meter.CreateCounter<long>("fossilsync.artifacts.received", unit: "{artifact}", description: "Artifacts received and stored by clients.");

    internal static readonly Counter<long> ArtifactsSent = Meter.CreateCounter<long>("fossilsync.artifacts.sent", unit: "{artifact}", description: "Artifacts sent by clients.");

    internal static readonly Counter<long> BytesReceived = Meter.CreateCounter<long>("fossilsync.bytes.received", unit: "By", description: "Payload bytes received by clients.");

    internal static readonly Counter<long> BytesSent = Meter.CreateCounter<long>("fossilsync.bytes.sent", unit: "By", description: "Request bytes sent by clients.");

    internal static readonly Histogram<double> SessionDuration = Meter.CreateHistogram<double>("fossilsync.client.session.duration", unit: "s", description: "Duration of client sessions (clone or sync).");

    internal static readonly Histogram<double> RoundDuration = Meter.CreateHistogram<double>("fossilsync.client.round.duration", unit: "s", description: "Duration of client rounds, request to stored reply.");

    // Server side.
    internal static readonly Histogram<double> ServerRequestDuration = Meter.CreateHistogram<double>("fossilsync.server.request.duration", unit: "s", description: "Duration of server requests (one sync round each).");

    internal static readonly Counter<long> ServerArtifactsReceived = Meter.CreateCounter<long>("fossilsync.server.artifacts.received", unit: "{artifact}", description: "Artifacts the server received.");

    internal static readonly Counter<long> ServerArtifactsSent = Meter.CreateCounter<long>("fossilsync.server.artifacts.sent", unit: "{artifact}", description: "Artifacts the server sent.");

    internal static readonly Counter<long> ServerBytesReceived = Meter.CreateCounter<long>("fossilsync.server.bytes.received", unit: "By", description: "Request bytes the server received.");

    internal static readonly Counter<long> ServerBytesSent = Meter.CreateCounter<long>("fossilsync.server.bytes.sent", unit: "By", description: "Reply bytes the server sent.");

    private static long s_lastId;

    /// <summary>A process-unique id for a session or a server request.</summary>
    internal static long NextId() => Interlocked.Increment(ref s_lastId);

    internal static KeyValuePair<string, object?> Operation(string operation) => new(OperationTag, operation);

    internal static KeyValuePair<string, object?> Outcome(string outcome) => new(OutcomeTag, outcome);
}
