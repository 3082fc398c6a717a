using FossilSync.Sync;
using Microsoft.Extensions.Logging;

namespace FossilSync.Nats;

/// <summary>How a <see cref="FossilWatcher"/> keeps its repository in step. Every property has a default.</summary>
public sealed class FossilWatcherOptions
{
    /// <summary>First subject tokens of the change notices (default <c>fossil</c>).</summary>
    public string Prefix { get; init; } = FossilNatsServerOptions.DefaultPrefix;

    /// <summary>Wait after a notice before syncing, so a burst of notices costs one sync (default 50 ms).</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Sync at least this often even without a notice (a notice can be lost; HTTP has none); default 30 s.</summary>
    public TimeSpan FallbackInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the repository file is checked for local changes (a commit) to push; default 1 s.</summary>
    public TimeSpan LocalPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Login for the syncs; null = anonymous (pushing then needs a server that lets nobody write).</summary>
    public string? User { get; init; }

    /// <summary>Password of <see cref="User"/>.</summary>
    public string? Password { get; init; }

    /// <summary>Push local changes as well as pulling (default true).</summary>
    public bool Push { get; init; } = true;

    /// <summary>Told after every sync that succeeded; null = nobody.</summary>
    public Action<SyncResult>? Synced { get; init; }

    /// <summary>Where failed syncs are reported (they are tried again later); null = nowhere.</summary>
    public ILogger? Logger { get; init; }
}
