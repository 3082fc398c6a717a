using FossilSync.Exchange;
using FossilSync.Observability;
using FossilSync.Repo;
using FossilSync.Xfer;
using FossilSync.Testing;

namespace FossilSync.Sync;

/// <summary>
/// The rounds of one sync with a server, as stock fossil's client runs them: the server
/// advertises with <c>igot</c>, we ask with <c>gimme</c> for what we lack (phantoms), answer its
/// <c>gimme</c>s with <c>file</c>s, and advertise our own unclustered artifacts; until a round
/// brings nothing new and leaves nothing to send.
/// </summary>
/// <remarks>
/// Each round's writes, crosslinking included, are one transaction. Private artifacts and
/// unversioned files are not synced yet.
/// </remarks>
internal sealed class SyncSession(Repository repository, ITransport transport, SyncOptions options)
{
    private const int MinimumGimmes = 200;
    private const int TruncatedIGots = 3;
    // What a push keeps of its expansions: about what stock's content cache holds.
    private const long PushExpansionBytes = 64L * 1024 * 1024;

    private readonly HashSet<string> _remoteHas = new(StringComparer.Ordinal);
    private readonly List<string> _messages = [];
    private readonly Queue<string> _toSend = new();
    private bool _push = options.Push;
    private CheckInLockConflict? _lockConflict;
    private string? _pushRefusal;
    private readonly SessionLogin _login = SessionLogin.Of(options.User, options.Password, transport);
    private readonly UnversionedExchange? _uv = options.Unversioned ? new UnversionedExchange(repository) : null;
    private TableExchange? _tables;
    private readonly SessionPhantoms _advertised = new(repository);
    private int _gimmeLimit = MinimumGimmes;
    private int _sent, _received, _linked;
    private long _bytesSent, _bytesReceived;
    private RoundCounts _counts;
    private SessionTracker? _tracker;
    // A push's recent expansions in reused arrays, kept across its rounds.
    private ExpansionWindow? _expansions;

    public Task<SyncResult> RunAsync(CancellationToken cancellationToken) =>
        SessionTracker.RunAsync(SessionTracker.Describe(SyncSessionKind.Sync, Modes(), repository.ProjectCode, transport.Endpoint), options.Observer, tracker =>
        {
            _tracker = tracker;
            if (options.Tables) _tables = new TableExchange(repository, options.Pull, options.Push, tracker, options.Limits.MaxTableVersionsPerMessage);
            return RoundsAsync(tracker, cancellationToken);
        });

    private SyncModes Modes() =>
        (options.Pull ? SyncModes.Pull : 0) | (options.Push ? SyncModes.Push : 0) | (options.Unversioned ? SyncModes.Unversioned : 0) | (options.Private ? SyncModes.Private : 0);

    private async Task<SyncResult> RoundsAsync(SessionTracker tracker, CancellationToken cancellationToken)
    {
        using var expansions = options.Push ? repository.Content.KeepMoreExpansions(PushExpansionBytes) : null;
        using var window = _expansions = options.Push ? new ExpansionWindow(repository, PushExpansionBytes) : null;
        try
        {
            return await AllRoundsAsync(tracker, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!IsInterruption(ex))
        {
            ForgetAdvertised();
            throw;
        }
    }

    // As with stock, a round cut short on the way (network, cancellation, a simulated crash)
    // keeps the phantoms of the rounds before it: a retry asks for them at once. A session the
    // server made fail (a refusal, damage, no convergence) takes them back.
    private static bool IsInterruption(Exception ex) => ex is TransportException or OperationCanceledException or InjectedFaultException;

    // The session failed: takes back the phantoms of names it was only promised.
    private void ForgetAdvertised()
    {
        try
        {
            _advertised.Forget();
        }
        catch (Exception ex) when (ex is InvalidOperationException or FossilSyncException)
        {
            // The file itself is failing (or a transaction is still open): the first error is the one to report.
        }
    }

    private async Task<SyncResult> AllRoundsAsync(SessionTracker tracker, CancellationToken cancellationToken)
    {
        string projectCode = repository.ProjectCode;
        string serverCode = repository.ServerCode ?? new string('0', 40);
        bool again = true;
        int round = 0;
        while (again)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (++round > options.MaxRounds) throw new SyncProtocolException(SyncFailureReason.NoProgress, $"sync did not converge within {options.MaxRounds} rounds.");
            tracker.RoundStart(round);
            int sentBefore = _sent, receivedBefore = _received;
            long bytesBefore = _bytesReceived;
            var cards = BuildRequest(round, projectCode, serverCode);
            _counts = default;
            CardTally.CountSent(cards, ref _counts);
            byte[] request = XferLogin.EncodeSigned(cards, _login.User, _login.Password, projectCode);
            _bytesSent += request.Length;
            FaultSites.Check(options.Faults, FaultSites.BeforeSend);
            var reply = await transport.ExchangeAsync(request, cancellationToken).ConfigureAwait(false);
            FaultSites.Check(options.Faults, FaultSites.AfterReceive);
            again = Apply(reply, round);
            (_counts.FilesSent, _counts.FilesReceived, _counts.BytesSent, _counts.BytesReceived) = (_sent - sentBefore, _received - receivedBefore, request.Length, _bytesReceived - bytesBefore);
            tracker.RoundEnd(round, _counts);
            options.Progress?.Report(new SyncProgress(round, _received, _bytesReceived));
        }
        _tables?.Finish();
        return new SyncResult(round, _sent, _received, _bytesSent, _bytesReceived, _linked, _messages, _lockConflict)
        {
            UnversionedSent = tracker.Unversioned.Sent,
            UnversionedReceived = tracker.Unversioned.Received,
            GimmesSent = tracker.GimmesSent,
            PeerId = tracker.Info.PeerId,
            Errors = tracker.NonFatalErrors,
            PushRefusal = _pushRefusal,
            TableRowsSent = _tables?.RowsSent ?? 0,
            TableRowsReceived = _tables?.RowsReceived ?? 0,
            TableErrors = _tables?.Errors ?? [],
        };
    }

    private List<XferCard> BuildRequest(int round, string projectCode, string serverCode)
    {
        // One snapshot for every read below, released before the request goes out.
        using var reads = repository.ReadScope();
        var cards = new List<XferCard> { ClientIdentity.ClientVersion };
        if (options.Private) cards.Add(new PragmaCard("send-private"));
        if (options.Pull) cards.Add(new PullCard(serverCode, projectCode));
        if (_push) cards.Add(new PushCard(serverCode, projectCode));
        int budget = FaultSites.Fires(options.Faults, FaultSites.ClientTinySendBudget) ? 1 : options.SendBudget;
        // As the server: a dangling delta (its source never came) is neither sent nor advertised.
        var unexpandable = _push ? repository.Content.UnexpandableNames() : [];
        var sender = new ArtifactSender(repository, new ArtifactSenderOptions { Budget = budget, SyncPrivate = options.Private, IsUnexpandable = unexpandable.Contains, Expansions = _expansions });
        if (_push)
        {
            if (round == 1)
            {
                // What was made here since the last push goes out unasked.
                foreach (string hash in NameLists.ListUnsent(repository)) _toSend.Enqueue(hash);
            }
            var asked = _toSend.ToList();
            _toSend.Clear();
            AskedOrderSender.Send(sender, repository, asked, cards, (hash, itsCards) =>
            {
                _remoteHas.Add(hash);
                if (FaultSites.Fires(options.Faults, FaultSites.ClientSendsDamagedFile)) FaultSites.DamageLastFile(itsCards);
            });
            _sent += sender.Sent;
        }
        long uvBudget = sender.Remaining;
        _uv?.AddRequestCards(cards, ref uvBudget);
        _tables?.AddRequestCards(cards, ref uvBudget);
        if (options.Pull)
        {
            foreach (string hash in NameLists.ListPhantoms(repository, _gimmeLimit, includePrivate: options.Private))
            {
                cards.Add(new GimmeCard(hash));
            }
        }
        if (_push)
        {
            int igots = FaultSites.Fires(options.Faults, FaultSites.ClientTruncateIGots) ? TruncatedIGots : int.MaxValue;
            foreach (string hash in NameLists.ListPublicUnclustered(repository))
            {
                if (igots-- <= 0) break;
                if (!_remoteHas.Contains(hash) && !unexpandable.Contains(hash)) cards.Add(new IGotCard(hash));
            }
            if (options.Private)
            {
                foreach (string hash in NameLists.ListPrivate(repository))
                {
                    if (!_remoteHas.Contains(hash) && !unexpandable.Contains(hash)) cards.Add(new IGotCard(hash, IsPrivate: true));
                }
            }
        }
        if (round == 1 && options.CheckInLock is { } lockRequest) cards.Add(new PragmaCard("ci-lock", lockRequest.ParentHash, lockRequest.ClientId));
        if (round == 1 && options.CheckInUnlockClientId is { } unlock) cards.Add(new PragmaCard("ci-unlock", unlock));
        cards.Add(ClientIdentity.Nonce(options.Random));
        reads.Complete();
        return cards;
    }

    // Applies one reply in one transaction; returns whether another round is needed.
    private bool Apply(XferMessage reply, int round)
    {
        try
        {
            return ApplyRound(reply, round);
        }
        catch
        {
            _advertised.RoundRolledBack();
            throw;
        }
    }

    private bool ApplyRound(XferMessage reply, int round)
    {
        using var transaction = repository.BeginTransaction();
        var receiver = new ArtifactReceiver(repository);
        bool newPhantom = false;
        bool pushed = _push, pushRefusedNow = false;
        string? error = null;
        HashSet<string>? unexpandable = null;
        foreach (var card in reply.Cards)
        {
            if (error is not null) break;
            CardTally.CountReceived(card, ref _counts);
            switch (card)
            {
                case PrivateCard:
                    if (FaultSites.Fires(options.Faults, FaultSites.ClientDropPrivate)) receiver.DropNext();
                    else receiver.MarkNextPrivate();
                    break;
                case PragmaCard { Name: "ci-lock-fail", Arguments: [var holder, var since] }:
                    _lockConflict = new CheckInLockConflict(FossilSync.Primitives.FossilEscaping.Decode(holder), long.TryParse(since, out long t) ? t : 0);
                    break;
                case FileCard f:
                    if (FaultSites.Fires(options.Faults, FaultSites.ClientRejectFile)) receiver.DropNext();
                    receiver.Receive(f);
                    _remoteHas.Add(f.Hash);
                    break;
                case CFileCard c:
                    if (FaultSites.Fires(options.Faults, FaultSites.ClientRejectFile)) receiver.DropNext();
                    receiver.Receive(c);
                    _remoteHas.Add(c.Hash);
                    break;
                case IGotCard i:
                    _remoteHas.Add(i.Hash);
                    if (options.Pull && (!i.IsPrivate || options.Private) && repository.Content.FindRid(i.Hash) is null)
                    {
                        _advertised.Created(repository.Content.GetOrCreatePhantom(i.Hash, i.IsPrivate));
                        newPhantom = true;
                    }
                    break;
                case GimmeCard g:
                    if (FaultSites.Fires(options.Faults, FaultSites.ClientSkipGimme)) break;
                    _remoteHas.Remove(g.Hash);
                    // Only what can go out keeps the session going: a gimme for a dangling delta
                    // (or a private artifact outside a private sync) would be asked for forever.
                    if (_push && CanSend(g.Hash, ref unexpandable)) _toSend.Enqueue(g.Hash);
                    break;
                case MessageCard m:
                    _messages.Add(m.Message);
                    if (m.Message.StartsWith("pull only", StringComparison.Ordinal) && _push)
                    {
                        _push = false;
                        _pushRefusal = m.Message;
                        pushRefusedNow = true;
                    }
                    break;
                case ErrorCard e:
                    error = e.Message;
                    break;
                case UnknownCard { IsBlank: false } u:
                    throw new SyncProtocolException(SyncFailureReason.ProtocolViolation, $"unknown command from server: {u.Line}");
                default:
                    if (_tables?.Accept(card) == true) break;
                    _uv?.Accept(card, receiver.ReceiptSoFar);
                    break;
            }
        }
        _uv?.EndOfReply();
        // A server that would let the pull go on refuses what we sent to push with "not
        // authorized to write" (stock drops its earlier output, its "pull only" included): that
        // is the push's refusal, and the pull is asked again without it.
        bool pullAgain = pushed && options.Pull && error is not null && error.StartsWith("not authorized to write", StringComparison.Ordinal);
        if (pullAgain)
        {
            _push = false;
            _pushRefusal ??= error;
            pushRefusedNow = true;
            error = null;
        }
        if (error is null && !pullAgain) _tables?.EndOfReply();
        FaultSites.Check(options.Faults, FaultSites.CrashMidSync);
        _linked += receiver.Complete();
        int filesThisRound = receiver.Received;
        _received += filesThisRound;
        _bytesReceived += receiver.BytesReceived;
        // What we sent in this round is on the server now: stop offering it unasked.
        if (_push) repository.Content.ForgetUnsent();
        FaultSites.Check(options.Faults, FaultSites.BeforeCommit);
        transaction.Commit();
        _advertised.RoundCommitted();
        if (error is not null)
        {
            _tracker?.Error(SyncErrorKind.ServerError, error, fatal: true);
            throw SyncProtocolException.FromServerError(error);
        }
        if (pushRefusedNow)
        {
            _tracker?.Error(SyncErrorKind.ServerError, _pushRefusal!, fatal: options.ThrowOnRefusal);
            if (options.ThrowOnRefusal) throw new SyncProtocolException(SyncFailureReason.NotAuthorized, $"the server refused the push: {_pushRefusal}") { ServerMessage = _pushRefusal };
        }
        if (pullAgain) return true;

        bool phantomsLeft = repository.Content.HasPhantoms(includePrivate: options.Private);
        if ((filesThisRound > 0 || newPhantom) && phantomsLeft && options.Pull)
        {
            _gimmeLimit = Math.Max(MinimumGimmes, 2 * filesThisRound);
            return true;
        }
        return (_push && _toSend.Count > 0) || (_uv?.WantsAnotherRound(round) ?? false) || (_tables?.WantsAnotherRound ?? false);
    }

    // Whether the artifact asked for can be sent in the next request (the set is read once a round).
    private bool CanSend(string hash, ref HashSet<string>? unexpandable)
    {
        if (repository.Content.FindRid(hash) is not long rid || repository.Content.IsPhantom(rid)) return false;
        if (!options.Private && repository.Content.IsPrivate(rid)) return false;
        unexpandable ??= repository.Content.UnexpandableNames();
        return !unexpandable.Contains(hash);
    }
}
