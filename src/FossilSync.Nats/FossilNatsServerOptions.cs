using FossilSync.Server;
using Microsoft.Extensions.Logging;

namespace FossilSync.Nats;

/// <summary>How a <see cref="FossilNatsServer"/> serves its repositories. Every property has a default.</summary>
public sealed class FossilNatsServerOptions
{
    /// <summary>The prefix subjects start with unless told otherwise.</summary>
    public const string DefaultPrefix = "fossil";

    /// <summary>First subject tokens, before the project code (default <c>fossil</c>).</summary>
    public string Prefix { get; init; } = DefaultPrefix;

    /// <summary>This hub's id in subjects and headers (default: a new random id); unique among the hubs of a project.</summary>
    public string HubId { get; init; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>The queue group the hubs of a project share on <c>PREFIX.CODE.sync</c> (default <c>fossil-hubs</c>).</summary>
    public string QueueGroup { get; init; } = "fossil-hubs";

    /// <summary>Login, capabilities and limits, as for HTTP (<see cref="SyncServerOptions"/>); null for stock's defaults.</summary>
    public SyncServerOptions? Sync { get; init; }

    /// <summary>
    /// Pull from another hub when it announces a change, so every hub converges (default true).
    /// A hub that does not replicate serves only what leaves push to it.
    /// </summary>
    public bool Replicate { get; init; } = true;

    /// <summary>Login this hub uses to pull from the others (it needs the read capability there); null = anonymous.</summary>
    public string? ReplicationUser { get; init; }

    /// <summary>Password of <see cref="ReplicationUser"/>.</summary>
    public string? ReplicationPassword { get; init; }

    /// <summary>Rounds handled at once (default: twice the processor count); more requests wait in NATS's buffer.</summary>
    public int MaxConcurrentRounds { get; init; } = Environment.ProcessorCount * 2;

    /// <summary>How long the rest of a large reply is kept for the client to fetch (default 2 minutes).</summary>
    public TimeSpan TransferLifetime { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Where failures that reach no client are reported (a replication that failed, a bug); null = nowhere.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Longest wait for a chunk of a large request from its client (default 60 s).</summary>
    public TimeSpan UploadTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
