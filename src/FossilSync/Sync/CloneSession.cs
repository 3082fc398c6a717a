using FossilSync.Exchange;
using FossilSync.Observability;
using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Repo.Crosslink;
using FossilSync.Xfer;
using FossilSync.Testing;

namespace FossilSync.Sync;

/// <summary>
/// The rounds of one clone (protocol 3): <c>clone 3 N</c> out, stored-form <c>cfile</c>s and
/// <c>clone_seqno</c> back, until the server says 0.
/// </summary>
/// <remarks>
/// As with stock: round 1 carries no login (the project code, needed to sign, is not known
/// yet) and its errors are ignored; the server's <c>push</c> card both names the project and is
/// what queues the next <c>clone</c> card. Round 2 asks for the configuration (<c>reqconfig
/// /all</c>): project name, skin, ticket setup, shun list and, for an admin, the users.
/// Each round's artifacts are one transaction.
/// Deltas may arrive before their sources (seqno order is rid order, not history order); they
/// wait on phantoms and are checked when the source comes.
/// Each round also notes the next sequence number in the file (<see cref="PartialClone"/>), so
/// an interrupted clone can start again from <paramref name="resumeFrom"/> instead of 1: its first
/// round is a round 1 as ever, only further on, and the server must name the same project.
/// </remarks>
internal sealed class CloneSession(Repository repository, ITransport transport, CloneOptions options, string source, ResumePoint? resumeFrom = null)
{
    /// <summary>Rounds in a row that store nothing new before the clone is given up: a stock server sends something every round until it ends the clone.</summary>
    internal const int RoundsWithoutProgress = 10;

    private readonly List<string> _messages = [];
    private readonly SessionLogin _login = SessionLogin.Of(options.User, options.Password, transport);
    private string? _projectCode;
    private long _sequence = resumeFrom?.Sequence ?? 1;
    private int _received;
    private long _bytes;
    private int _storedThisRound;
    private int _idleRounds;
    private RoundCounts _counts;
    private SessionTracker? _tracker;

    public Task<CloneResult> RunAsync(CancellationToken cancellationToken) =>
        SessionTracker.RunAsync(SessionTracker.Describe(SyncSessionKind.Clone, SyncModes.Clone | SyncModes.Pull, resumeFrom?.ProjectCode, transport.Endpoint), options.Observer, tracker =>
        {
            _tracker = tracker;
            return RoundsAsync(tracker, cancellationToken);
        });

    private async Task<CloneResult> RoundsAsync(SessionTracker tracker, CancellationToken cancellationToken)
    {
        // The transfer's last replies (a round of cards and their payloads) must be garbage
        // before the final pass, or they add to a large clone's peak memory: they die with the
        // transfer's method, and the final pass starts on a fresh stack, not inside the
        // transport's completion of the last reply (whose task holds that reply).
        var (rounds, bulk) = await TransferAsync(tracker, cancellationToken).ConfigureAwait(false);
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        using (bulk)
        {
            if (_projectCode is null) throw new SyncProtocolException(SyncFailureReason.ProtocolViolation, "the server never sent its project code (no push card).");
            return Finish(rounds, bulk, cancellationToken);
        }
    }

    // Every round of the transfer; returns how many, and the bulk load holding what they stored.
    private async Task<(int Rounds, BulkLoad Bulk)> TransferAsync(SessionTracker tracker, CancellationToken cancellationToken)
    {
        // The next request goes out as soon as a reply names the next sequence number, and the
        // reply is stored while the server prepares the next one: a clone costs the larger of
        // the two, not their sum. A request in flight is cancelled if storing fails.
        using var inFlight = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        int round = 1;
        // Round 1's span is open when its request goes out, so the request carries it; later
        // requests go out (pipelined) within the span of the round before.
        tracker.RoundStart(round);
        var (request, login) = BuildRequest(round, cloneQueued: true, _sequence, _projectCode);
        var pending = SendAsync(request, inFlight.Token);
        // The new file's only writer: stored fast, checked by the final pass.
        var bulk = BulkLoad.Begin(repository);
        try
        {
            while (true)
            {
                var reply = await pending.ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                var next = Peek(reply);
                var (nextSequence, projectCode, cloneQueued) = next;
                if (round == 1 && resumeFrom is not null && projectCode is not null && projectCode != resumeFrom.ProjectCode)
                {
                    throw new PartialCloneMismatchException($"the partial clone is of project {resumeFrom.ProjectCode}, the server holds {projectCode}.");
                }
                // As stock, at least two rounds: the second asks for the configuration even
                // when the first brought everything.
                bool another = cloneQueued || (round < 2 && projectCode is not null);
                byte[] nextRequest = [];
                string? nextLogin = null;
                if (another)
                {
                    if (round + 1 > options.MaxRounds) throw new SyncProtocolException(SyncFailureReason.NoProgress, $"clone did not finish within {options.MaxRounds} rounds.");
                    (nextRequest, nextLogin) = BuildRequest(round + 1, cloneQueued, nextSequence, projectCode);
                    pending = SendAsync(nextRequest, inFlight.Token);
                }

                long sequenceBefore = _sequence;
                int receivedBefore = _received;
                long bytesBefore = _bytes;
                _counts = default;
                Apply(reply, round, login, next, bulk);
                (_counts.FilesReceived, _counts.BytesSent, _counts.BytesReceived) = (_received - receivedBefore, request.Length, _bytes - bytesBefore);
                tracker.RoundEnd(round, _counts);
                options.Progress?.Report(new SyncProgress(round, _received, _bytes));
                if (cloneQueued && _sequence == sequenceBefore && _received == receivedBefore && round > 1)
                {
                    throw new SyncProtocolException(SyncFailureReason.NoProgress, $"clone made no progress in round {round} (still at sequence {_sequence}).");
                }
                // A server can move its sequence number on forever without sending anything.
                _idleRounds = _storedThisRound > 0 ? 0 : _idleRounds + 1;
                if (another && _idleRounds >= RoundsWithoutProgress)
                {
                    throw new SyncProtocolException(SyncFailureReason.NoProgress, $"clone made no progress: {_idleRounds} rounds in a row brought no new artifact (server at sequence {_sequence}).");
                }
                if (!another) break;
                round++;
                (request, login) = (nextRequest, nextLogin);
                tracker.RoundStart(round);
            }
            bulk.EndTransfer();
        }
        catch
        {
            // Whatever is still on the wire is of no use now; let it end before the file goes.
            await inFlight.CancelAsync().ConfigureAwait(false);
            await ((Task)pending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            bulk.Dispose();
            throw;
        }
        return (round, bulk);
    }

    private (byte[] Request, string? Login) BuildRequest(int round, bool cloneQueued, long sequence, string? projectCode)
    {
        var cards = new List<XferCard> { ClientIdentity.ClientVersion };
        if (cloneQueued) cards.Add(new CloneCard(3, sequence));
        // As stock: the configuration is asked for once, from round 2, when the login can pass.
        if (round == 2) cards.Add(new ReqConfigCard("/all"));
        cards.Add(ClientIdentity.Nonce(options.Repository.Random));
        string? login = round > 1 && projectCode is not null ? _login.User : null;
        return (XferLogin.EncodeSigned(cards, login, _login.Password, projectCode ?? ""), login);
    }

    private async Task<XferMessage> SendAsync(byte[] request, CancellationToken cancellationToken)
    {
        FaultSites.Check(options.Faults, FaultSites.BeforeSend);
        var reply = await transport.ExchangeAsync(request, cancellationToken).ConfigureAwait(false);
        FaultSites.Check(options.Faults, FaultSites.AfterReceive);
        return reply;
    }

    // What a reply asks for next, read before it is stored so the next request can go out.
    private (long Sequence, string? ProjectCode, bool CloneQueued) Peek(XferMessage reply)
    {
        long sequence = _sequence;
        string? projectCode = _projectCode;
        bool cloneQueued = false;
        foreach (var card in reply.Cards)
        {
            switch (card)
            {
                case CloneSeqnoCard s: sequence = s.SequenceNumber; break;
                case PushCard p:
                    projectCode = p.ProjectCode;
                    cloneQueued = sequence > 0;
                    break;
            }
        }
        return (sequence, projectCode, cloneQueued);
    }

    // Stores one reply in one transaction; next is what Peek read from it.
    private void Apply(XferMessage reply, int round, string? login, (long Sequence, string? ProjectCode, bool CloneQueued) next, BulkLoad bulk)
    {
        // Every artifact is checked by the final pass (its rebuild expands each one anyway).
        var receiver = new ArtifactReceiver(repository, new ArtifactReceiverOptions { VerifyLater = bulk.VerifiesLater, CountNew = true });
        // Inflating each envelope to check it was a fifth of storing a round; the other core
        // does it meanwhile (the hash checker only starts after the transfer), and the round is
        // committed only if every one holds.
        receiver.CheckEnvelopesAside(reply.Cards);
        using var transaction = repository.BeginTransaction();
        string? refusal = null;
        // As stock, a clone takes the server's hash policy (sent with the configuration), not its own.
        if (round == 2)
        {
            repository.RemoveConfig("hash-policy");
            bulk.ShunningChanged();
        }
        foreach (var card in reply.Cards)
        {
            CardTally.CountReceived(card, ref _counts);
            switch (card)
            {
                case CFileCard c:
                    receiver.Receive(c);
                    break;
                case FileCard f:
                    receiver.Receive(f);
                    break;
                case ConfigCard c:
                    ConfigurationTransfer.Receive(repository, c.Name, c.Content.Span, ConfigGroups.All);
                    // The shun list and the hash policy come this way.
                    if (c.Name is "/shun" or "/config") bulk.ShunningChanged();
                    break;
                case ErrorCard e:
                    // Round 1 has no login: a refusal there is expected when nobody may clone.
                    if (round > 1 || login is not null)
                    {
                        _tracker?.Error(SyncErrorKind.ServerError, e.Message, fatal: true);
                        throw SyncProtocolException.FromServerError(e.Message);
                    }
                    refusal = e.Message;
                    break;
                case MessageCard m:
                    _messages.Add(m.Message);
                    break;
                case UnknownCard { IsBlank: false } u:
                    throw new SyncProtocolException(SyncFailureReason.ProtocolViolation, $"unknown command from server: {u.Line}");
            }
        }
        FaultSites.Check(options.Faults, FaultSites.CrashMidClone);
        receiver.Complete();
        _storedThisRound = receiver.StoredNew;
        _received += receiver.Received;
        _bytes += receiver.BytesReceived;
        // Where to go on from if the clone is cut short after this round (from 1 is starting over).
        if (next.Sequence > 1 && next.ProjectCode is not null) PartialClone.Save(repository, new ResumePoint(next.Sequence, next.ProjectCode, source));
        else PartialClone.Clear(repository);
        FaultSites.Check(options.Faults, FaultSites.BeforeCommit);
        transaction.Commit();
        (_sequence, _projectCode) = (next.Sequence, next.ProjectCode);
        if (_tracker is not null) _tracker.ProjectCode = _projectCode;
        if (refusal is not null)
        {
            bool fatal = _login.User is null || !next.CloneQueued;
            _tracker?.Error(SyncErrorKind.ServerError, refusal, fatal);
            if (fatal) throw SyncProtocolException.FromServerError(refusal);
        }
    }

    private CloneResult Finish(int rounds, BulkLoad bulk, CancellationToken cancellationToken)
    {
        using var transaction = repository.BeginTransaction();
        long unresolved = repository.Content.DeltasWaitingOnPhantoms();
        if (unresolved > 0) throw new SyncProtocolException(SyncFailureReason.Incomplete, $"the clone is incomplete: {unresolved} deltas wait on artifacts the server never sent.");
        repository.SetConfig("project-code", _projectCode!);
        // In the same transaction as the project code: a clone is one more commit, not two.
        if (options.RememberRemote && transport.Endpoint is { } endpoint) repository.RememberRemote(RemoteOf(endpoint, _login, options.RememberPassword));
        transaction.Commit();
        // Every artifact was stored unchecked; the rebuild expands each one anyway and checks it.
        int linked;
        try
        {
            // The final pass is most of a large clone's time: a caller must be able to stop it.
            linked = bulk.Finish(cancellationToken);
        }
        catch (CorruptContentException ex)
        {
            throw new SyncProtocolException(SyncFailureReason.DamagedContent, $"the server sent damaged artifacts: {ex.Message}", ex);
        }
        if (options.ExtraDeltaCompression && new ExtraDeltification(repository).Run(cancellationToken) > 0) repository.Vacuum();
        return new CloneResult(rounds, _received, _bytes, linked, _projectCode!, repository.ServerCode ?? "", _messages)
        {
            PeerId = _tracker?.Info.PeerId,
            Errors = _tracker?.NonFatalErrors ?? [],
        };
    }

    // The server as the clone records it: never with the password in the URL, the password apart only when asked.
    private static SyncRemote RemoteOf(Uri endpoint, SessionLogin login, bool rememberPassword)
    {
        string? userInUrl = endpoint.UserInfo.Length > 0 ? Uri.UnescapeDataString(endpoint.UserInfo.Split(':', 2)[0]) : null;
        var url = new UriBuilder(endpoint) { UserName = "", Password = "" }.Uri;
        return new SyncRemote(url, login.User ?? userInUrl, rememberPassword ? login.Password : null);
    }
}
