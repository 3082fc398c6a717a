using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FossilSync.Observability;

/// <summary>
/// The <see cref="ActivitySource"/> and <see cref="Meter"/> named <c>FossilSync</c>, the
/// OpenTelemetry-recommended way for a library to emit traces and metrics: nothing is recorded
/// unless the host listens (e.g. with <c>AddFossilSyncInstrumentation()</c>).
/// </summary>
public static class FossilSyncTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "FossilSync";

    internal static readonly ActivitySource Source = new(Name, typeof(FossilSyncTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Meter Meter = new(Name, typeof(FossilSyncTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Counter<long> Rounds = Meter.CreateCounter<long>("fossilsync.rounds", description: "Sync protocol round trips.");

    internal static readonly Counter<long> ArtifactsReceived = Meter.CreateCounter<long>("fossilsync.artifacts.received", description: "Artifacts received and stored.");

    internal static readonly Counter<long> ArtifactsSent = Meter.CreateCounter<long>("fossilsync.artifacts.sent", description: "Artifacts sent.");

    internal static readonly Counter<long> BytesReceived = Meter.CreateCounter<long>("fossilsync.bytes.received", unit: "By", description: "Payload bytes received.");
}
