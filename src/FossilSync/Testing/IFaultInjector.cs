namespace FossilSync.Testing;

/// <summary>
/// A seam for tests and simulation (chaos and deterministic-simulation runs): the sync loops ask
/// it at the <see cref="FaultSites"/> whether to fail there. Null (the default) in production,
/// where it costs nothing.
/// </summary>
public interface IFaultInjector
{
    /// <summary>True to fail at <paramref name="site"/>; a seeded implementation decides with <paramref name="probability"/>.</summary>
    bool Check(string site, double probability);
}
