using FossilSync.Repo;
using FossilSync.Testing;
using FossilSync.Xfer;

namespace FossilSync.Sync;

/// <summary>How to sync. Defaults: pull and push, anonymous, stock's budgets.</summary>
public sealed class SyncOptions
{
    /// <summary>Receive what the server has (default true).</summary>
    public bool Pull { get; init; } = true;

    /// <summary>Send what we have (default true; needs a user with the <c>i</c> capability on the server).</summary>
    public bool Push { get; init; } = true;

    /// <summary>Also sync unversioned files (stock's <c>-u</c>): newest wins, uploads need the <c>y</c> capability.</summary>
    public bool Unversioned { get; init; }

    /// <summary>
    /// Also sync the repository's extension tables (<see cref="Repository.Tables"/>): offered to the
    /// server in a way stock fossil ignores, and done only when the server accepts the offer.
    /// </summary>
    public bool Tables { get; init; }

    /// <summary>Also sync private artifacts (stock's <c>--private</c>; the user needs the <c>x</c> capability).</summary>
    public bool Private { get; init; }

    /// <summary>Ask the server to lock this check-in for us (first round); a holder's conflict comes back in the result.</summary>
    public CheckInLockRequest? CheckInLock { get; init; }

    /// <summary>Release every lock this client id holds (stock sends it after its commit is pushed).</summary>
    public string? CheckInUnlockClientId { get; init; }

    /// <summary>
    /// Throw a <see cref="SyncProtocolException"/> (<see cref="SyncFailureReason.NotAuthorized"/>)
    /// when the server refuses part of the session it otherwise lets go on, such as a push by a
    /// user without write permission, instead of reporting it in <see cref="SyncResult.PushRefusal"/>
    /// (default false, as stock, which only prints the refusal).
    /// </summary>
    public bool ThrowOnRefusal { get; init; }

    /// <summary>Login; null = anonymous.</summary>
    public string? User { get; init; }

    /// <summary>Password of <see cref="User"/>.</summary>
    public string? Password { get; init; }

    /// <summary>Bytes of file content sent per round before the rest waits (stock's max-upload: 250,000).</summary>
    public int SendBudget { get; init; } = 250_000;

    /// <summary>Stop with an error after this many rounds (default 100).</summary>
    public int MaxRounds { get; init; } = 100;

    /// <summary>
    /// Bounds this client keeps to in what it sends: a synced table's catalogue is spread over
    /// rounds of at most <see cref="XferLimits.MaxTableVersionsPerMessage"/> versions. What it
    /// reads is bounded by the transport's limits.
    /// </summary>
    public XferLimits Limits { get; init; } = XferLimits.Default;

    /// <summary>Hooks for logging and metrics (session and round start/end); null = none, at no cost.</summary>
    public FossilSync.Observability.ISyncObserver? Observer { get; init; }

    /// <summary>Fails the session at chosen points, for simulation tests; null (the default) in production.</summary>
    public IFaultInjector? Faults { get; init; }

    /// <summary>Receives a report after every round; null for none.</summary>
    public IProgress<SyncProgress>? Progress { get; init; }

    /// <summary>Source of the per-request random comment (null = cryptographic), for seeded runs.</summary>
    public Random? Random { get; init; }
}
