namespace FossilSync.Testing;

/// <summary>The failure an <see cref="IFaultInjector"/> asked for (only ever thrown in tests and simulation).</summary>
public sealed class InjectedFaultException(string site) : FossilSyncException($"injected fault at {site}")
{
    /// <summary>Where the fault was injected.</summary>
    public string Site { get; } = site;
}
