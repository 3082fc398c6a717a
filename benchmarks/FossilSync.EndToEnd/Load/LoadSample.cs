namespace FossilSync.EndToEnd.Load;

/// <summary>
/// What one measured window of load produced: syncs completed (each the recorded request
/// sequence, all replies good), failed ones, latency percentiles of the good ones, and the CPU
/// seconds the server, this process (the load generator) and everything else on the machine
/// used in the window, and the connections the kernel dropped for a full accept queue in it
/// (<see cref="Measurement.ListenDrops"/>).
/// </summary>
internal sealed record LoadSample(
    double Seconds,
    int Completed,
    int Failed,
    double P50Ms,
    double P99Ms,
    double ServerCpuSeconds,
    double GeneratorCpuSeconds,
    double? OtherCpuSeconds,
    long? ListenDrops,
    IReadOnlyList<string> FailureExamples)
{
    public double PerSecond => Completed / Seconds;

    /// <summary>Server CPU milliseconds per completed sync.</summary>
    public double ServerCpuMsPerSync => Completed == 0 ? double.NaN : ServerCpuSeconds * 1000 / Completed;
}
