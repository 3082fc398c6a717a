using System.Runtime.InteropServices;
using FossilSync.Cli;

// Ctrl+C and SIGTERM cancel the command, so a clone cleans up after itself; a second one ends the process at once.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = !stop.IsCancellationRequested;
    stop.Cancel();
};
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = !stop.IsCancellationRequested;
    stop.Cancel();
});
// Traces and metrics go out over OTLP only when OTEL_EXPORTER_OTLP_ENDPOINT asks for it; disposing flushes them.
using var telemetry = CliTelemetry.StartFromEnvironment();
return await CommandLine.RunAsync(args, Console.Out, Console.Error, stop.Token);
