using System.Runtime.CompilerServices;

namespace FossilSync.Testing;

/// <summary>
/// The named places where a run under test can be made to fail or misbehave: the library
/// consults the <see cref="IFaultInjector"/> of the client's options (<c>sync.*</c>,
/// <c>clone.*</c>), of the server's options (<c>server.*</c>) or of the repository's options
/// (<c>repo.*</c>); a simulated network consults its own at the <c>net.*</c> sites, which
/// need no code in the library.
/// </summary>
/// <remarks>
/// A site that fails throws <see cref="InjectedFaultException"/>; a misbehaviour site makes
/// the code take a legal but unhelpful path (a peer that skips, truncates or drops something),
/// after which a correct peer still converges on a later sync. With no injector a site costs
/// one null check.
/// </remarks>
public static class FaultSites
{
    /// <summary>Client: before a request is sent (the round never reaches the server).</summary>
    public const string BeforeSend = "sync.before-send";

    /// <summary>Client: after the reply arrived, before anything of it is stored (the server may have committed).</summary>
    public const string AfterReceive = "sync.after-receive";

    /// <summary>Client: after a round's writes, just before its transaction commits (everything must roll back).</summary>
    public const string BeforeCommit = "sync.before-commit";

    /// <summary>Client crash mid-sync: the reply's artifacts are stored but not committed; the session is abandoned and the file may be reopened later.</summary>
    public const string CrashMidSync = "sync.crash-mid-round";

    /// <summary>Client crash mid-clone: a page is stored but not committed; the partial file is reopened by a later clone.</summary>
    public const string CrashMidClone = "clone.crash-mid-round";

    /// <summary>Client misbehaviour: one <c>gimme</c> of the server's is ignored (the file is not sent).</summary>
    public const string ClientSkipGimme = "sync.skip-gimme";

    /// <summary>Client misbehaviour: the round's <c>igot</c> list is cut to a few names.</summary>
    public const string ClientTruncateIGots = "sync.truncate-igots";

    /// <summary>Client misbehaviour: the round's send budget is one byte (one artifact per round).</summary>
    public const string ClientTinySendBudget = "sync.tiny-send-budget";

    /// <summary>Client misbehaviour: one received <c>file</c>/<c>cfile</c> is dropped unstored.</summary>
    public const string ClientRejectFile = "sync.reject-file";

    /// <summary>Client misbehaviour: a received <c>private</c> card and the artifact it marks are dropped.</summary>
    public const string ClientDropPrivate = "sync.drop-private";

    /// <summary>Client misbehaviour: a pushed artifact's content is damaged on the way out (it no longer hashes to its name); the server must refuse the round.</summary>
    public const string ClientSendsDamagedFile = "sync.damaged-file";

    /// <summary>Server: the round aborts after its cards were handled and stored, before its commit (it rolls back; the client sees a failed exchange).</summary>
    public const string ServerAbortMidRound = "server.abort-mid-round";

    /// <summary>Server misbehaviour: one <c>gimme</c> is ignored.</summary>
    public const string ServerSkipGimme = "server.skip-gimme";

    /// <summary>Server misbehaviour: the reply's <c>igot</c> list is cut to a few names.</summary>
    public const string ServerTruncateIGots = "server.truncate-igots";

    /// <summary>Server misbehaviour: the reply's budget is one byte (one artifact, then <c>igot</c>s).</summary>
    public const string ServerTinySendBudget = "server.tiny-send-budget";

    /// <summary>Server misbehaviour: a clone page holds a single artifact.</summary>
    public const string ServerTinyClonePage = "server.tiny-clone-page";

    /// <summary>Server misbehaviour: one pushed <c>file</c>/<c>cfile</c> is dropped unstored.</summary>
    public const string ServerRejectFile = "server.reject-file";

    /// <summary>Server misbehaviour: a pushed <c>private</c> card and the artifact it marks are dropped.</summary>
    public const string ServerDropPrivate = "server.drop-private";

    /// <summary>Server misbehaviour: an artifact sent to the client is damaged (it no longer hashes to its name); the client must refuse the round.</summary>
    public const string ServerSendsDamagedFile = "server.damaged-file";

    /// <summary>Repository: storage fails at a commit (disk full, I/O error); the transaction rolls back.</summary>
    public const string StorageFailsAtCommit = "repo.commit-fails";

    /// <summary>Repository misbehaviour: an unversioned file written here gets a stale time (a day behind the clock).</summary>
    public const string StaleUnversionedMTime = "repo.stale-uv-mtime";

    /// <summary>Repository misbehaviour: a synced-table row written here gets a stale mtime (its clock a day behind).</summary>
    public const string StaleRowMTime = "repo.stale-row-mtime";

    /// <summary>Simulated network: one <c>xrow</c>/<c>xdelete</c> card of the reply is lost on the way.</summary>
    public const string RowLost = "net.row-lost";

    /// <summary>Simulated network: the JSON of one <c>xrow</c> card of the reply is altered on the way; the client must refuse the round.</summary>
    public const string RowCorrupted = "net.row-corrupted";

    /// <summary>Simulated network: the request is lost before the server sees it.</summary>
    public const string RequestLost = "net.request-lost";

    /// <summary>Simulated network: the reply is lost after the server handled (and committed) the round.</summary>
    public const string ReplyLost = "net.reply-lost";

    /// <summary>Simulated network: the request reaches the server twice (a replayed round).</summary>
    public const string RequestReplayed = "net.request-replayed";

    /// <summary>Simulated network: the request arrives truncated or with a flipped bit.</summary>
    public const string RequestDamaged = "net.request-damaged";

    /// <summary>Simulated network: the reply arrives truncated or with a flipped bit.</summary>
    public const string ReplyDamaged = "net.reply-damaged";

    /// <summary>Every site, in a fixed order (for swarm testing: each run turns some of them on).</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        BeforeSend, AfterReceive, BeforeCommit, CrashMidSync, CrashMidClone,
        ClientSkipGimme, ClientTruncateIGots, ClientTinySendBudget, ClientRejectFile, ClientDropPrivate, ClientSendsDamagedFile,
        ServerAbortMidRound, ServerSkipGimme, ServerTruncateIGots, ServerTinySendBudget, ServerTinyClonePage, ServerRejectFile, ServerDropPrivate, ServerSendsDamagedFile,
        StorageFailsAtCommit, StaleUnversionedMTime,
        RequestLost, ReplyLost, RequestReplayed, RequestDamaged, ReplyDamaged,
        // Appended, so that a seed draws the same on/off and rate for every site before them.
        StaleRowMTime, RowLost, RowCorrupted,
    ];

    /// <summary>Throws <see cref="InjectedFaultException"/> when the injector fails <paramref name="site"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Check(IFaultInjector? faults, string site, double probability = 1.0)
    {
        if (faults is not null && faults.Check(site, probability)) throw new InjectedFaultException(site);
    }

    /// <summary>The misbehaviour of a peer that sends what it did not name: one byte of the last <c>file</c> card in <paramref name="cards"/> flipped, full text or delta.</summary>
    /// <remarks>
    /// A damaged delta whose source the receiver lacks is stored unchecked; the round that brings
    /// the source finds it wrong, drops it (a phantom again) and asks for it anew.
    /// </remarks>
    internal static void DamageLastFile(List<Xfer.XferCard> cards)
    {
        int last = cards.FindLastIndex(c => c is Xfer.FileCard { Content.Length: > 0 });
        if (last < 0) return;
        var file = (Xfer.FileCard)cards[last];
        byte[] content = file.Content.ToArray();
        content[content.Length / 2] ^= 0x20;
        cards[last] = file with { Content = content };
    }

    /// <summary>True when the injector asks for the misbehaviour at <paramref name="site"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool Fires(IFaultInjector? faults, string site, double probability = 1.0) =>
        faults is not null && faults.Check(site, probability);
}
