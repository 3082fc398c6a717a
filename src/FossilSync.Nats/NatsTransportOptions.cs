using FossilSync.Xfer;

namespace FossilSync.Nats;

/// <summary>How a <see cref="NatsTransport"/> reaches the hubs. Every property has a default.</summary>
public sealed class NatsTransportOptions
{
    /// <summary>First subject tokens, before the project code (default <c>fossil</c>); hubs and clients must agree.</summary>
    public string Prefix { get; init; } = FossilNatsServerOptions.DefaultPrefix;

    /// <summary>
    /// The hub to talk to from the first round on; null (the default) lets the queue group pick
    /// one for the first round, after which the session keeps to it.
    /// </summary>
    public string? Hub { get; init; }

    /// <summary>Longest wait for one reply (a round, or a chunk of it); default 60 s.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Times a round is sent again when no reply came (the NATS server restarted, the hub is
    /// reconnecting); default 3. A round is safe to repeat: the server keeps no state between
    /// rounds and stores an artifact once.
    /// </summary>
    public int Retries { get; init; } = 3;

    /// <summary>Wait before the first retry, doubled for each next one (default 250 ms).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Limits on what a reply may contain.</summary>
    public XferLimits Limits { get; init; } = XferLimits.Default;
}
