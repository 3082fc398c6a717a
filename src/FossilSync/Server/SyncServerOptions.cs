using FossilSync.Xfer;

namespace FossilSync.Server;

/// <summary>How the server answers. Defaults follow stock fossil.</summary>
public sealed class SyncServerOptions
{
    /// <summary>Bytes of artifact content per reply before the rest is only advertised (stock's max-download: 5,000,000).</summary>
    public int MaxDownload { get; init; } = 5_000_000;

    /// <summary>Limits on what a request may contain.</summary>
    public XferLimits Limits { get; init; } = XferLimits.Default;

    /// <summary>Clock for the reply's timestamp line and receipts (default: the system clock).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
