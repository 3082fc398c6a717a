using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using FossilSync.Observability;

namespace FossilSync.Benchmarks;

/// <summary>
/// What the observability of one client round costs: nothing allocated with no observer and no
/// listener (the default), against an observer and an activity listener.
/// </summary>
[MemoryDiagnoser]
public class ObserverOverheadBenchmarks
{
    private SessionTracker _bare = null!;
    private SessionTracker _observed = null!;
    private SessionTracker _listened = null!;
    private ActivityListener _listener = null!;
    private readonly RoundCounts _counts = new() { FilesReceived = 3, BytesReceived = 4096, BytesSent = 512, GimmesSent = 3, IGotsReceived = 5 };

    [GlobalSetup(Targets = [nameof(Bare), nameof(Observed)])]
    public void Setup()
    {
        var info = SessionTracker.Describe(SyncSessionKind.Sync, SyncModes.Pull | SyncModes.Push, "p", null);
        _bare = new SessionTracker(info, null);
        _observed = new SessionTracker(info, new NoOpObserver());
    }

    // Only this benchmark's process listens: a listener is process-wide.
    [GlobalSetup(Target = nameof(Listened))]
    public void SetupListened()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == FossilSyncTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_listener);
        _listened = new SessionTracker(SessionTracker.Describe(SyncSessionKind.Sync, SyncModes.Pull, "p", null), null);
    }

    [GlobalCleanup(Target = nameof(Listened))]
    public void Cleanup() => _listener.Dispose();

    [Benchmark(Baseline = true, Description = "round, no observer, no listener")]
    public void Bare()
    {
        _bare.RoundStart(1);
        _bare.RoundEnd(1, _counts);
    }

    [Benchmark(Description = "round, no-op observer")]
    public void Observed()
    {
        _observed.RoundStart(1);
        _observed.RoundEnd(1, _counts);
    }

    [Benchmark(Description = "round, activity listener")]
    public void Listened()
    {
        _listened.RoundStart(1);
        _listened.RoundEnd(1, _counts);
    }

    private sealed class NoOpObserver : ISyncObserver;
}
