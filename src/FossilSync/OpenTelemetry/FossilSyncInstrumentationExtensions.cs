using FossilSync.Observability;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FossilSync.OpenTelemetry;

/// <summary>The only OpenTelemetry-specific code: subscribe a provider to FossilSync's spans and metrics.</summary>
public static class FossilSyncInstrumentationExtensions
{
    /// <summary>Records FossilSync's sessions and rounds as spans.</summary>
    public static TracerProviderBuilder AddFossilSyncInstrumentation(this TracerProviderBuilder builder) =>
        builder.AddSource(FossilSyncTelemetry.Name);

    /// <summary>Records FossilSync's counters (rounds, artifacts and bytes moved).</summary>
    public static MeterProviderBuilder AddFossilSyncInstrumentation(this MeterProviderBuilder builder) =>
        builder.AddMeter(FossilSyncTelemetry.Name);
}
