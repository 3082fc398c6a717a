using FossilSync.Testing;
using FossilSync.Xfer;

namespace FossilSync.Server;

/// <summary>How the server answers. Defaults follow stock fossil.</summary>
/// <remarks>A record, so a host that adds to the options (a hook, a limit) copies them with <c>with</c> and drops nothing it was given.</remarks>
public sealed record SyncServerOptions
{
    /// <summary>Bytes of artifact content per reply before the rest is only advertised (stock's max-download: 5,000,000).</summary>
    public int MaxDownload { get; init; } = 5_000_000;

    /// <summary>Limits on what a request may contain.</summary>
    public XferLimits Limits { get; init; } = XferLimits.Default;

    /// <summary>
    /// Largest request body accepted, as it travels (compressed or not); a larger one is answered
    /// with an <c>error</c> card. The default admits one artifact of the largest payload
    /// <see cref="Limits"/> allows plus a stock client's round budget; a server keeps one request
    /// in memory at a time per connection, so this bounds its memory per request.
    /// </summary>
    public long MaxRequestBytes
    {
        get => _maxRequestBytes ?? Limits.MaxPayloadSize + 8L * 1024 * 1024;
        init => _maxRequestBytes = value;
    }

    private readonly long? _maxRequestBytes;

    /// <summary>
    /// Called once a round has committed artifacts the repository did not hold before (private
    /// ones are not named), whatever transport carried it: a host's hook to announce changes
    /// (e.g. a NATS change notice). Null (the default) costs nothing. It runs on the round's
    /// path before the reply is sent, so it should only hand the notice on, not wait; an
    /// exception from it fails the request although the artifacts are kept.
    /// </summary>
    public Action<SyncStoredArtifacts>? ArtifactsStored { get; init; }

    /// <summary>Clock for the reply's timestamp line and receipts (default: the system clock).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Wrappers around every request, the first outermost (see <see cref="SyncRequestWrapper"/>):
    /// how a host adds authentication, logging, rate limits or faults without copying the handler.
    /// A request a wrapper answers itself never reaches the round (nor its observer and spans).
    /// </summary>
    public IReadOnlyList<SyncRequestWrapper> Wrappers { get; init; } = [];

    /// <summary>
    /// The cache of expanded artifacts that hosts opening the served repository for each request
    /// (<c>MapFossilSync</c>, <c>FossilSyncServer</c>, the NATS hub) give it, so that requests
    /// share what earlier ones expanded. Null (the default) = each host keeps one of
    /// <see cref="Repo.ContentCache.DefaultCapacityBytes"/> per repository for its lifetime. One
    /// instance may serve several repositories: entries are keyed by artifact name.
    /// </summary>
    public Repo.ContentCache? ContentCache { get; init; }

    /// <summary>Hooks called at each request's start and end and on its errors; null = none. One instance may serve concurrent requests.</summary>
    public Observability.ISyncObserver? Observer { get; init; }

    /// <summary>Where the server logs (each request at Debug, refusals at Warning, failures at Error); null = nowhere. ASP.NET Core hosts fill it from their logger factory when unset.</summary>
    public Microsoft.Extensions.Logging.ILogger? Logger { get; init; }

    /// <summary>Fails or bends the round at the <c>server.*</c> <see cref="FaultSites"/>, for simulation tests; null (the default) in production.</summary>
    public IFaultInjector? Faults { get; init; }
}
