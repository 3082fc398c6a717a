using FossilSync.Primitives;
using FossilSync.Testing;

namespace FossilSync.Repo;

/// <summary>
/// How a repository is created or opened. Every property has a sensible default; the time
/// and randomness seams exist so a whole sync can run under a seeded simulation.
/// </summary>
public sealed record RepositoryOptions
{
    /// <summary>Login of the setup user a new repository gets (default: the current OS user, else <c>root</c>). Ignored by Open.</summary>
    public string? AdminUser { get; init; }

    /// <summary>Hash policy of a new repository (default SHA3, as <c>fossil new</c>). Ignored by Open.</summary>
    public HashPolicy HashPolicy { get; init; } = HashPolicy.Sha3;

    /// <summary>
    /// Give a new repository the "initial empty check-in" <c>fossil new</c> makes (default true),
    /// which stock <c>fossil open</c> needs. A clone's target starts without it. Ignored by Open.
    /// </summary>
    public bool InitialCheckIn { get; init; } = true;

    /// <summary>Bytes of expanded artifacts kept in memory to speed up delta chains (default 8 MiB: rebuild and clone walk each chain once, from its base, and need only the last few; 0 = none).</summary>
    public long ContentCacheBytes { get; init; } = ContentCache.DefaultCapacityBytes;

    /// <summary>
    /// A cache of checked expansions shared with other connections (other repositories, other
    /// threads): the connection looks there first and puts what it expands there. Null (the
    /// default) = none; the connection still keeps <see cref="ContentCacheBytes"/> of its own.
    /// </summary>
    public ContentCache? ContentCache { get; init; }

    /// <summary>Largest artifact accepted or expanded (default 256 MiB); protects against decompression bombs.</summary>
    public int MaxArtifactSize { get; init; } = BlobCompression.DefaultMaxSize;

    /// <summary>How long a writer waits for another process's lock before failing (default 30 s).</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Clock for config and receipt timestamps (default: the system clock).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Source of project and server codes and passwords; null (the default) = cryptographically random.</summary>
    public Random? Random { get; init; }

    /// <summary>Fails commits or bends local writes at the <c>repo.*</c> <see cref="FaultSites"/>, for simulation tests; null (the default) in production.</summary>
    public IFaultInjector? Faults { get; init; }
}
