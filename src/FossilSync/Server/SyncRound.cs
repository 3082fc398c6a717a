using System.Collections.Frozen;
using FossilSync.Exchange;
using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Testing;
using FossilSync.Xfer;

namespace FossilSync.Server;

/// <summary>
/// One request, read card by card and routed to the handler of its concern (login, content
/// exchange, clone pages, unversioned files, check-in lock, configuration, extension tables); the round owns
/// reading, the login check at the end, the transaction and the reply's framing, the handlers
/// own what each card means.
/// </summary>
/// <remarks>
/// Every card type is routed or explicitly ignored in <see cref="Routes"/>; a test holds every
/// <see cref="XferCard"/> type to that, so a new card cannot be dropped silently.
/// </remarks>
internal sealed class SyncRound
{
    private static readonly Action<SyncRound, XferCard> Ignore = static (_, _) => { };

    private static readonly FrozenDictionary<Type, Action<SyncRound, XferCard>> Routes = new Dictionary<Type, Action<SyncRound, XferCard>>
    {
        [typeof(LoginCard)] = static (r, c) => r._login.Login((LoginCard)c),
        [typeof(PragmaCard)] = static (r, c) => r.Pragma((PragmaCard)c),
        [typeof(PullCard)] = static (r, c) => r._content.Pull((PullCard)c),
        [typeof(PushCard)] = static (r, c) => r._content.Push((PushCard)c),
        [typeof(GimmeCard)] = static (r, c) => r._content.Gimme((GimmeCard)c),
        [typeof(IGotCard)] = static (r, c) => r._content.IGot((IGotCard)c),
        [typeof(FileCard)] = static (r, c) => r._content.Receive((FileCard)c),
        [typeof(CFileCard)] = static (r, c) => r._content.Receive((CFileCard)c),
        [typeof(PrivateCard)] = static (r, _) => r._content.Private(),
        [typeof(CloneCard)] = static (r, c) => r._clone.Clone((CloneCard)c),
        [typeof(UvGimmeCard)] = static (r, c) => r._unversioned.Send((UvGimmeCard)c),
        [typeof(UvFileCard)] = static (r, c) => r._unversioned.Receive((UvFileCard)c),
        [typeof(ReqConfigCard)] = static (r, c) => r._configuration.Request((ReqConfigCard)c),
        [typeof(ConfigCard)] = static (r, c) => r._configuration.Receive((ConfigCard)c),
        [typeof(XSchemaCard)] = static (r, c) => r._tables.Schema((XSchemaCard)c),
        [typeof(XIGotCard)] = static (r, c) => r._tables.IGot((XIGotCard)c),
        [typeof(XGimmeCard)] = static (r, c) => r._tables.Gimme((XGimmeCard)c),
        [typeof(XRowCard)] = static (r, c) => r._tables.Receive(c),
        [typeof(XDeleteCard)] = static (r, c) => r._tables.Receive(c),
        [typeof(WithheldPayloadCard)] = static (r, c) => r.Withheld((WithheldPayloadCard)c),
        [typeof(UnknownCard)] = static (r, c) => r.Unknown((UnknownCard)c),
        // Only servers send these, and a client's catalogue entries matter only to a client.
        [typeof(UvIGotCard)] = Ignore,
        [typeof(CloneSeqnoCard)] = Ignore,
        [typeof(ErrorCard)] = Ignore,
        [typeof(MessageCard)] = Ignore,
        [typeof(XRefusedCard)] = Ignore,
        // Comments are skipped by the reader; a cookie is never asked for; a clone page's own
        // cfile cards are only written (read back, they are CFileCards).
        [typeof(CommentCard)] = Ignore,
        [typeof(CookieCard)] = Ignore,
        [typeof(StoredCFileCard)] = Ignore,
    }.ToFrozenDictionary();

    private readonly RoundContext _round;
    private readonly bool _deferred;
    private readonly LoginHandler _login;
    private readonly ContentExchangeHandler _content;
    private readonly ClonePageHandler _clone;
    private readonly UnversionedHandler _unversioned;
    private readonly CheckInLockHandler _checkInLock;
    private readonly ConfigurationHandler _configuration;
    private readonly TableHandler _tables;

    /// <param name="repository">The repository served.</param>
    /// <param name="request">The request.</param>
    /// <param name="options">Budgets, limits and clock.</param>
    /// <param name="deferred">Take the write lock only when the round turns out to write.</param>
    public SyncRound(Repository repository, SyncRequest request, SyncServerOptions options, bool deferred)
    {
        _round = new RoundContext(repository, request, options);
        _deferred = deferred;
        _login = new LoginHandler(_round);
        _content = new ContentExchangeHandler(_round);
        _clone = new ClonePageHandler(_round);
        _unversioned = new UnversionedHandler(_round);
        _checkInLock = new CheckInLockHandler(_round);
        _configuration = new ConfigurationHandler(_round);
        _tables = new TableHandler(_round);
    }

    /// <summary>What the round learnt and did, for the observer.</summary>
    public RoundContext Context => _round;

    /// <summary>The card types the round routes or explicitly ignores.</summary>
    internal static IReadOnlyCollection<Type> RoutedCardTypes => Routes.Keys;

    public async Task<SyncResponse> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await AnswerAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _round.ReleaseStoredPayloads();
        }
    }

    private async Task<SyncResponse> AnswerAsync(CancellationToken cancellationToken)
    {
        var repository = _round.Repository;
        var reply = _round.Reply;
        using var transaction = repository.BeginTransaction(_deferred);
        _login.GrantBaseline();
        try
        {
            using var reader = await OpenAsync(cancellationToken).ConfigureAwait(false);
            reader.SkipComments = true;
            while (!_round.Stopped && await reader.ReadCardAsync(Admit, cancellationToken).ConfigureAwait(false) is { } card)
            {
                _round.CardsIn++;
                Handle(card);
            }
            if (_round.Nonces.Count > 0) await CheckLoginsCoverRestAsync(reader, cancellationToken).ConfigureAwait(false);
            FaultSites.Check(_round.Options.Faults, FaultSites.ServerAbortMidRound);
            // Crosslinked before the gimme list is made, as stock crosslinks each file as it
            // arrives: a cluster's members (and a manifest's files) become phantoms now and
            // are asked for in this reply, or a clustered push would stop at its clusters.
            _round.Receiver.LinkArrived();
            _content.SendAsked();
            if (!_round.Stopped) Finish();
            _round.Receiver.Complete();
            transaction.Commit();
            if (_round.StoredNew.Count > 0) _round.Options.ArtifactsStored?.Invoke(new SyncStoredArtifacts(repository.ProjectCode, [.. _round.StoredNew]));
        }
        catch (FossilSyncException ex) when (ex is CorruptContentException or RepositoryException { IsStorageFailure: false } and not RepositoryBusyException or XferFormatException or LoginFailedException)
        {
            // Nothing of a round with a bad artifact, an unreadable message or a forged login is kept.
            // A busy file and a failing one go up: the handler retries the first, the host reports the second.
            transaction.Dispose();
            reply.Clear();
            reply.Add(new ErrorCard(ex.Message));
            _round.Errors++;
            _round.RejectedArtifact = ex is CorruptContentException;
        }
        reply.Add(new CommentCard($" timestamp {_round.Options.TimeProvider.GetUtcNow():yyyy-MM-ddTHH:mm:ss} errors {_round.Errors}"));
        // As stock: a clone (protocol 3) page is sent uncompressed, its cfiles being
        // compressed already. Only a clone the user may make gets a clone_seqno card.
        bool plain = !XferContentType.IsCompressed(_round.Request.ContentType) || (_round.CloneVersion >= 3 && reply.Any(c => c is CloneSeqnoCard));
        // A plain reply whose payloads are in pooled memory (a clone page's) is encoded only as
        // it is sent, and the memory goes with it; any other is encoded now.
        if (plain && _round.TakeStoredPayloads() is { } payloads) return SyncResponse.Pending(reply, payloads);
        return SyncResponse.FromCards(reply, compressed: !plain);
    }

    private void Handle(XferCard card)
    {
        if (!Routes.TryGetValue(card.GetType(), out var route)) throw new InvalidOperationException($"the server has no handler for {card.GetType().Name}.");
        route(this, card);
    }

    private void Pragma(PragmaCard pragma)
    {
        switch (pragma)
        {
            case { Name: "client-version", Arguments.Count: 3 }: _login.ClientVersion(); break;
            case { Name: "uv-hash", Arguments.Count: >= 1 }: _unversioned.Catalogue(pragma.Arguments[0]); break;
            case { Name: "ci-lock", Arguments: [var checkIn, var clientId] }: _checkInLock.Lock(checkIn, clientId); break;
            case { Name: "ci-unlock", Arguments: [var clientId] }: _checkInLock.Unlock(clientId); break;
            case { Name: "send-private" }: _content.SendPrivate(); break;
            case var offer when TableRowCards.IsOffer(offer): _tables.Offer(); break;
            case var range when TableRowCards.ReadRange(range) is { } r: _tables.Range(r.Table, r.After, r.UpTo); break;
            // Pragmas we do not know are ignored, as stock does.
        }
    }

    private void Withheld(WithheldPayloadCard card)
    {
        switch (card.Kind)
        {
            // As stock: an unversioned file the user may not write is ignored.
            case "uvfile": break;
            case "config": _configuration.Refuse(); break;
            default: _content.Refuse(); break;
        }
    }

    // As stock: earlier output is discarded, the error is not counted, and processing goes on.
    private void Unknown(UnknownCard unknown)
    {
        _round.Reply.Clear();
        _round.Reply.Add(new ErrorCard("bad command: " + unknown.Line + "\n"));
    }

    private void Finish()
    {
        _tables.Finish();
        _content.AskForPhantoms();
        if (_clone.Paged)
        {
            _clone.NameProject();
            return;
        }
        _content.Advertise();
        if (_round.Pull && _round.Clone) _clone.NameProject();
    }

    private async Task<XferReader> OpenAsync(CancellationToken cancellationToken)
    {
        var request = _round.Request;
        return XferContentType.IsCompressed(request.ContentType)
            ? await XferReader.CreateAsync(new ReadOnlyMemoryStream(request.Body), compressed: true, _round.Options.Limits, cancellationToken).ConfigureAwait(false)
            : XferReader.FromMemory(request.Body, _round.Options.Limits);
    }

    // Decided before a payload is read: what the user may not write is never held in memory.
    // Unless a login waits to be checked against the rest of the message, a refusal also ends
    // the reading; otherwise the payload is read past, keeping nothing.
    private PayloadAdmission Admit(string kind)
    {
        var caps = _round.Caps;
        bool allowed = kind switch
        {
            "file" or "cfile" => _round.Push,
            "config" => caps.Admin,
            "uvfile" => caps.WriteUnversioned,
            "xrow" or "xdelete" => _round.Push,
            _ => true,
        };
        if (allowed) return PayloadAdmission.Read;
        return kind == "uvfile" || _round.Nonces.Count > 0 ? PayloadAdmission.Skip : PayloadAdmission.Refuse;
    }

    // Each login's nonce must be the hash of every byte after its line. That is known only at
    // the end of the message, so a round that stopped early reads the rest (keeping nothing)
    // before anything it did under a login is kept or sent.
    private async Task CheckLoginsCoverRestAsync(XferReader reader, CancellationToken cancellationToken)
    {
        if (_round.Stopped && !reader.Refused)
        {
            while (await reader.ReadCardAsync(_ => PayloadAdmission.Skip, cancellationToken).ConfigureAwait(false) is not null) { }
        }
        if (reader.Refused || !reader.LoginTailHashes().SequenceEqual(_round.Nonces, StringComparer.Ordinal)) throw new LoginFailedException();
    }
}
