using FossilSync.Exchange;
using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Testing;
using FossilSync.Xfer;

namespace FossilSync.Server;

/// <summary>
/// What the handlers of one server round share: the request, the reply being built, what the
/// logins allow, the modes the request asked for (pull, push, clone) and the round's one
/// artifact receiver and sender.
/// </summary>
internal sealed class RoundContext(Repository repository, SyncRequest request, SyncServerOptions options)
{
    private ArtifactReceiver? _receiver;
    private ArtifactSender? _sender;
    private ExpansionWindow? _expansions;
    private HashSet<string>? _unexpandable;
    private PooledArena? _storedPayloads;

    public Repository Repository => repository;
    public SyncRequest Request => request;
    public SyncServerOptions Options => options;

    /// <summary>The reply's cards so far (some refusals discard them).</summary>
    public List<XferCard> Reply { get; } = [];

    /// <summary>What nobody and the logged-in users may do.</summary>
    public Capabilities Caps { get; } = new();

    /// <summary>Each login's nonce: it must turn out to cover the rest of the message.</summary>
    public List<string> Nonces { get; } = [];

    /// <summary>The logged-in user (0 = nobody).</summary>
    public long UserId { get; set; }

    /// <summary>The logged-in user's name, or null for nobody (row ownership, the observer).</summary>
    public string? UserName { get; set; }

    public bool Pull { get; set; }
    public bool Push { get; set; }
    public bool Clone { get; set; }

    /// <summary>The clone protocol asked for (1 for a bare <c>clone</c>), or null.</summary>
    public int? CloneVersion { get; set; }

    /// <summary>A refusal ended the round: no further card is handled.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Errors reported in the reply.</summary>
    public int Errors { get; set; }

    /// <summary>Cards read from the request (for the observer).</summary>
    public int CardsIn { get; set; }

    /// <summary>Each synced table that took part in the round, with the rows (and deletions) it sent and stored (for the observer).</summary>
    public Dictionary<string, (int Sent, int Received)> TablesMoved { get; } = new(StringComparer.Ordinal);

    /// <summary>The round was refused for a damaged or unwanted artifact (for the observer).</summary>
    public bool RejectedArtifact { get; set; }

    /// <summary>Artifacts received so far.</summary>
    public int FilesIn => _receiver?.Received ?? 0;

    /// <summary>Artifacts in the reply (clone pages' included).</summary>
    public int FilesOut => Reply.Count(card => card is FileCard or CFileCard or StoredCFileCard);

    /// <summary>What the request asked for, as spans and metrics name it.</summary>
    public string Operation => CloneVersion is not null || Clone ? "clone" : (Pull, Push) switch
    {
        (true, true) => "sync",
        (true, false) => "pull",
        (false, true) => "push",
        _ => "none",
    };

    /// <summary>Names the client has (or was sent) in this round: not advertised back.</summary>
    public HashSet<string> OnRemote { get; } = new(StringComparer.Ordinal);

    /// <summary>Dangling deltas (their source never came): served around, never as if whole.</summary>
    public HashSet<string> Unexpandable => _unexpandable ??= repository.Content.UnexpandableNames();

    /// <summary>The receipt names the user and nonce of the login that delivered the round.</summary>
    public ArtifactReceiver Receiver => _receiver ??= new ArtifactReceiver(repository, new ArtifactReceiverOptions { NameNew = options.ArtifactsStored is not null }, BeginReceipt);

    /// <summary>Public artifacts the round stored that the repository did not hold (named only when <see cref="SyncServerOptions.ArtifactsStored"/> listens).</summary>
    public IReadOnlyList<string> StoredNew => _receiver?.NewNames ?? [];

    /// <summary>One budget for the whole reply: artifacts, clone pages and unversioned files.</summary>
    public ArtifactSender Sender => _sender ??= new ArtifactSender(repository, new ArtifactSenderOptions
    {
        Budget = FaultSites.Fires(options.Faults, FaultSites.ServerTinySendBudget) ? 1 : options.MaxDownload,
        IsUnexpandable = hash => Unexpandable.Contains(hash),
        SkipDamaged = true,
        Expansions = _expansions = new ExpansionWindow(repository, ExpansionBytes),
    });

    /// <summary>
    /// Offers what the round's gimmes expanded to the cache shared across requests (once they
    /// are sent), then lets go of it: the round lives on while its reply is encoded and written,
    /// and so would the window's tens of megabytes, per request at once.
    /// </summary>
    public void ShareAndReleaseExpansions()
    {
        _expansions?.Share();
        _expansions?.Release();
    }

    /// <summary>
    /// Where a clone page's stored artifacts are copied for the reply's cards to point at:
    /// pooled memory, given back by <see cref="ReleaseStoredPayloads"/> once the reply is
    /// encoded, or by the reply that <see cref="TakeStoredPayloads"/> once it is sent. The
    /// cards left in <see cref="Reply"/> after that may be counted, not read.
    /// </summary>
    public PooledArena StoredPayloads => _storedPayloads ??= new PooledArena();

    /// <summary>Gives back what <see cref="StoredPayloads"/> holds (the reply is encoded, or abandoned).</summary>
    public void ReleaseStoredPayloads() => _storedPayloads?.Dispose();

    /// <summary>Hands <see cref="StoredPayloads"/> (null if nothing was copied) to a reply that gives it back once sent.</summary>
    public PooledArena? TakeStoredPayloads()
    {
        var taken = _storedPayloads;
        _storedPayloads = null;
        return taken;
    }

    // What a round keeps of the versions it expands (bounded, then its pool's idle arrays):
    // a pull's gimmes of one file's versions then each expand from the one before. A quarter
    // of this thrashed on the real-history profile; twice this saved little more.
    private const long ExpansionBytes = 32L * 1024 * 1024;

    /// <summary>Reports an error and stops handling the request's cards.</summary>
    public void Fail(string message)
    {
        Reply.Add(new ErrorCard(message));
        Errors++;
        Stopped = true;
    }

    /// <summary>True when the request names this project; otherwise fails the round.</summary>
    public bool ProjectMatches(string projectCode)
    {
        if (string.Equals(projectCode, repository.ProjectCode, StringComparison.Ordinal)) return true;
        Fail("wrong project");
        return false;
    }

    /// <summary>The <c>push</c> card that names this server and project to a cloning client.</summary>
    public PushCard ProjectCard() => new(repository.ServerCode ?? "", repository.ProjectCode);

    private long BeginReceipt() =>
        repository.Content.BeginReceipt(UserId == 0 ? null : UserId, Nonces.Count == 0 ? null : Nonces[^1], request.RemoteAddress);
}
