using FossilSync.Testing;

namespace FossilSync.Simulation;

/// <summary>
/// Swarm testing (as FoundationDB does it): each run turns every fault site on or off by its
/// seed, and an enabled site fires at a rate also drawn from the seed. One instance per run,
/// consulted by every peer, server and simulated link; it fires only while <see cref="Active"/>.
/// </summary>
public sealed class SwarmFaults
{
    private readonly Random _random;
    private readonly SortedDictionary<string, double> _rates = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _reached = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _fired = new(StringComparer.Ordinal);

    /// <param name="seed">The run's seed.</param>
    /// <param name="mode">Which sites may be on.</param>
    public SwarmFaults(int seed, FaultMode mode)
    {
        _random = new Random(unchecked(seed * 7919 + 17));
        var choose = new Random(unchecked(seed * 104729 + 3));
        foreach (string site in FaultSites.All)
        {
            // Drawn for every site whatever the mode, so a mode does not shift the other draws.
            bool on = choose.NextDouble() < 0.5;
            double rate = RateFor(site, choose);
            if (mode.Sites is { } only ? only.Contains(site) : mode.Enabled && on) _rates[site] = mode.Sites is null ? rate : Math.Max(rate, 0.25);
        }
    }

    /// <summary>Faults fire only while true (the heal phase and local bookkeeping run without).</summary>
    public bool Active { get; set; }

    /// <summary>Called when a crash site fires, before the library throws: the peer's file is copied as a crash would leave it.</summary>
    public Action<string>? OnCrash { get; set; }

    public IReadOnlyDictionary<string, double> EnabledSites => _rates;

    /// <summary>How often each site was consulted while active.</summary>
    public IReadOnlyDictionary<string, int> Reached => _reached;

    /// <summary>How often each site fired.</summary>
    public IReadOnlyDictionary<string, int> Fired => _fired;

    /// <summary>Whether <paramref name="site"/> fails now (draws from the run's stream only for enabled sites).</summary>
    public bool Fires(string site)
    {
        if (!Active) return false;
        _reached[site] = _reached.GetValueOrDefault(site) + 1;
        if (!_rates.TryGetValue(site, out double rate) || _random.NextDouble() >= rate) return false;
        _fired[site] = _fired.GetValueOrDefault(site) + 1;
        if (site is FaultSites.CrashMidSync or FaultSites.CrashMidClone) OnCrash?.Invoke(site);
        return true;
    }

    /// <summary>The injector a peer's options carry.</summary>
    public IFaultInjector Injector => new Adapter(this);

    // Rare for the faults that end a session, frequent for the cheap misbehaviours.
    private static double RateFor(string site, Random choose)
    {
        double[] rates = site.StartsWith("net.", StringComparison.Ordinal) || site is FaultSites.CrashMidSync or FaultSites.CrashMidClone or FaultSites.StorageFailsAtCommit or FaultSites.ServerAbortMidRound
            ? [0.01, 0.03, 0.08]
            : [0.05, 0.15, 0.4];
        return rates[choose.Next(rates.Length)];
    }

    private sealed class Adapter(SwarmFaults faults) : IFaultInjector
    {
        public bool Check(string site, double probability) => faults.Fires(site);
    }
}

/// <summary>Which fault sites a run may turn on.</summary>
/// <param name="Enabled">Swarm over every site (false: no faults at all).</param>
/// <param name="Sites">Only these sites, each on (for the per-site tests); null = swarm.</param>
public sealed record FaultMode(bool Enabled, IReadOnlySet<string>? Sites = null)
{
    public static FaultMode Swarm { get; } = new(true);
    public static FaultMode Off { get; } = new(false);
    public static FaultMode Only(string site) => new(true, new HashSet<string>(StringComparer.Ordinal) { site });
}
