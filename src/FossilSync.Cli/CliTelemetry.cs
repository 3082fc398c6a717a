using FossilSync.OpenTelemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FossilSync.Cli;

/// <summary>
/// The standard OpenTelemetry switch for the tool: with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set,
/// FossilSync's spans and metrics (and, under <c>serve</c>, ASP.NET Core's request spans they
/// nest in) are exported over OTLP, the protocol, headers and timeouts taken from the other
/// <c>OTEL_EXPORTER_OTLP_*</c> variables by the exporter itself. Without it nothing is set up.
/// </summary>
internal static class CliTelemetry
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ServiceName = "fossilsync";

    public static IDisposable? StartFromEnvironment()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EndpointVariable))) return null;
        var resource = ResourceBuilder.CreateDefault();
        // OTEL_SERVICE_NAME, when set, names the service instead.
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME"))) resource.AddService(ServiceName, serviceVersion: typeof(CliTelemetry).Assembly.GetName().Version?.ToString());
        var tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddFossilSyncInstrumentation()
            .AddSource("Microsoft.AspNetCore")
            .AddOtlpExporter()
            .Build();
        var metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddFossilSyncInstrumentation()
            .AddOtlpExporter()
            .Build();
        return new Providers(tracing, metrics);
    }

    private sealed class Providers(TracerProvider? tracing, MeterProvider? metrics) : IDisposable
    {
        public void Dispose()
        {
            tracing?.Dispose();
            metrics?.Dispose();
        }
    }
}
