using FossilSync.Server;

namespace FossilSync.Simulation;

/// <summary>What every part of one run shares: its faults, clock, trace, the server's options and the violations found.</summary>
internal sealed class SimulationContext(int seed, FaultMode mode, int steps) : IDisposable
{
    public int Seed => seed;
    public FaultMode Mode => mode;
    public SwarmFaults Faults { get; } = new(seed, mode);
    public SimClock Clock { get; } = new();
    public Trace Trace { get; } = new();
    public Random NetworkRandom { get; } = new(unchecked(seed * 31 + 5));
    public List<Violation> Violations { get; } = [];
    public int Step { get; set; }

    /// <summary>Rows altered on the way to a client (<see cref="FossilSync.Testing.FaultSites.RowCorrupted"/>): a pull that saw one must fail.</summary>
    public int RowsCorrupted { get; set; }

    public SyncServerOptions ServerOptions => _serverOptions ??= new SyncServerOptions { TimeProvider = Clock, Faults = Faults.Injector };

    private SyncServerOptions? _serverOptions;

    public void Violation(string invariant, string detail) => Violations.Add(new Violation(seed, Step, invariant, detail, ReplayOptions));

    // What the replay command needs besides the seed to run the same scenario.
    private string ReplayOptions =>
        (!mode.Enabled ? " --faults off" : mode.Sites is { Count: 1 } only ? $" --only {only.First()}" : "")
        + (steps != Simulation.DefaultSteps ? $" --steps {steps}" : "");

    public void Dispose() => Trace.Dispose();
}
