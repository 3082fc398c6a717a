using FossilSync.Repo;
using FossilSync.Testing;

namespace FossilSync.Sync;

/// <summary>How to clone. Every property has a default; null credentials clone as <c>nobody</c>.</summary>
public sealed class CloneOptions
{
    /// <summary>Login for rounds after the first (stock sends none in round 1); null = anonymous.</summary>
    public string? User { get; init; }

    /// <summary>Password of <see cref="User"/>.</summary>
    public string? Password { get; init; }

    /// <summary>Also fetch the server's unversioned files (stock's <c>clone -u</c>).</summary>
    public bool Unversioned { get; init; }

    /// <summary>Also fetch the server's extension tables (<see cref="Repository.Tables"/>), when the server speaks table sync.</summary>
    public bool Tables { get; init; }

    /// <summary>Stop with an error after this many rounds (default 10,000; a clone moves at most a few MB per round).</summary>
    public int MaxRounds { get; init; } = 10_000;

    /// <summary>Hooks for logging and metrics (session and round start/end); null = none, at no cost.</summary>
    public FossilSync.Observability.ISyncObserver? Observer { get; init; }

    /// <summary>Fails the session at chosen points, for simulation tests; null (the default) in production.</summary>
    public IFaultInjector? Faults { get; init; }

    /// <summary>Receives a report after every round; null for none.</summary>
    public IProgress<SyncProgress>? Progress { get; init; }

    /// <summary>
    /// Whether to continue an interrupted clone of the same server and project, and to keep a
    /// failed clone's partial file for that (default <see cref="CloneResume.Automatic"/>).
    /// </summary>
    public CloneResume Resume { get; init; } = CloneResume.Automatic;

    /// <summary>
    /// Record the server as the clone's default remote, as stock's clone does, so that stock
    /// <c>fossil sync</c> (and autosync in a check-out) and <c>fossilsync sync REPO</c> work with no
    /// URL (default true; stock's <c>--once</c> is false).
    /// </summary>
    public bool RememberRemote { get; init; } = true;

    /// <summary>Also remember <see cref="Password"/> with the remote, obscured as stock keeps it (stock's <c>--save-http-password</c>; default false).</summary>
    public bool RememberPassword { get; init; }

    /// <summary>
    /// After the clone, re-store full texts as deltas against their nearest newer relatives and
    /// vacuum, as stock's clone does (stock's <c>--nocompress</c> is false): a file about the size
    /// of stock's clone for some more time at the end (default true).
    /// </summary>
    public bool ExtraDeltaCompression { get; init; } = true;
    /// <summary>Options of the repository created (clock, randomness, cache, limits).</summary>
    public RepositoryOptions Repository { get; init; } = new();
}
