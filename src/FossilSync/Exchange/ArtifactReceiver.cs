using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Repo.Crosslink;
using FossilSync.Xfer;

namespace FossilSync.Exchange;

/// <summary>
/// Takes the <c>file</c> and <c>cfile</c> cards of one round into the repository, for the
/// client's sync, the clone and the server alike: one receipt (<c>rcvfrom</c> row) for the
/// round, full text, deltas and stored envelopes, the <c>private</c> card's mark on the next
/// artifact, and the arrivals to crosslink once the round's cards are in.
/// </summary>
/// <remarks>
/// A clone's speed-ups are options (<see cref="ArtifactReceiverOptions"/>), not another copy of
/// these rules. An artifact that does not hash to its name fails the round, now or, for a delta
/// that waited on its source, at <see cref="Complete"/>. A delta stored by an earlier round that
/// the source arriving now shows to be wrong is no fault of this round: it is dropped (a phantom
/// again, so it is asked for anew) and the round is kept.
/// </remarks>
internal sealed class ArtifactReceiver
{
    private readonly Repository _repository;
    private readonly ArtifactReceiverOptions _options;
    private readonly Func<long>? _beginReceipt;
    private readonly List<long> _arrived = [];
    private readonly List<string> _newNames = [];
    // Deltas this round stored (absent or phantom before): only these can fail it at Complete.
    private readonly HashSet<string> _deltas = new(StringComparer.Ordinal);
    private Task<CorruptContentException?>? _envelopes;
    private long _receipt;
    private bool _nextPrivate, _dropNext;

    /// <param name="repository">Where the artifacts go; the caller holds the round's transaction.</param>
    /// <param name="options">Checks to defer and what to count.</param>
    /// <param name="beginReceipt">Records who delivers the round (the server knows the user and address); null for an anonymous receipt.</param>
    public ArtifactReceiver(Repository repository, ArtifactReceiverOptions options = default, Func<long>? beginReceipt = null)
    {
        _repository = repository;
        _options = options;
        _beginReceipt = beginReceipt;
    }

    /// <summary>Artifacts received (stored or not).</summary>
    public int Received { get; private set; }

    /// <summary>Payload bytes of the artifacts received.</summary>
    public long BytesReceived { get; private set; }

    /// <summary>With <see cref="ArtifactReceiverOptions.CountNew"/>: arrivals the repository did not hold yet (absent or phantom).</summary>
    public int StoredNew { get; private set; }

    /// <summary>With <see cref="ArtifactReceiverOptions.NameNew"/>: the public arrivals the repository did not hold yet, in arrival order.</summary>
    public IReadOnlyList<string> NewNames => _newNames;

    /// <summary>The round's receipt if one was begun, else 0.</summary>
    public long ReceiptSoFar => _receipt;

    /// <summary>The round's receipt, begun on first use.</summary>
    public long Receipt()
    {
        if (_receipt == 0) _receipt = _beginReceipt?.Invoke() ?? _repository.Content.BeginReceipt(null, null, null);
        return _receipt;
    }

    /// <summary>A <c>private</c> card: the next artifact received is private.</summary>
    public void MarkNextPrivate() => _nextPrivate = true;

    /// <summary>The next artifact is dropped unstored (a <c>private</c> card from a peer that may not send private content).</summary>
    public void DropNext() => _dropNext = true;

    /// <summary>
    /// Checks every <c>cfile</c> envelope of <paramref name="cards"/> on another core while this
    /// one stores them; they are then stored without being inflated again, and
    /// <see cref="Complete"/> fails on the first damaged one. Only with
    /// <see cref="ArtifactReceiverOptions.VerifyLater"/>.
    /// </summary>
    public void CheckEnvelopesAside(IReadOnlyList<XferCard> cards)
    {
        if (!_options.VerifyLater) throw new InvalidOperationException("envelopes are checked aside only when artifacts are verified later.");
        int maxSize = _repository.Options.MaxArtifactSize;
        _envelopes = Task.Run(() => FirstDamagedEnvelope(cards, maxSize));
    }

    /// <summary>Stores a <c>file</c> card: full text, or a delta against its source.</summary>
    public void Receive(FileCard file)
    {
        if (TakeDrop()) return;
        var store = Store();
        NoteIfNew(file.Hash, file.DeltaSource, store.Private);
        long rid = file.DeltaSource is null
            ? _repository.Content.PutFull(file.Content.Span, file.Hash, store)
            : _repository.Content.PutDelta(file.Hash, file.DeltaSource, file.Content.Span, store);
        Arrived(rid, file.Content.Length);
    }

    /// <summary>Stores a <c>cfile</c> card's envelope as it came.</summary>
    public void Receive(CFileCard file)
    {
        if (TakeDrop()) return;
        var store = Store() with { EnvelopeChecked = _envelopes is not null };
        NoteIfNew(file.Hash, file.DeltaSource, store.Private);
        long rid = _repository.Content.PutCompressed(file.Hash, file.DeltaSource, file.Payload, file.UncompressedSize, store);
        Arrived(rid, file.Payload.Length);
    }

    /// <summary>An artifact made here in the round (a cluster), crosslinked with the arrivals.</summary>
    public void AddMadeHere(long rid) => _arrived.Add(rid);

    /// <summary>Crosslinks what arrived since the last call; returns how many artifacts were linked.</summary>
    public int LinkArrived()
    {
        if (_arrived.Count == 0) return 0;
        int linked = Crosslinking.LinkNew(_repository, _arrived.Where(rid => rid > 0));
        _arrived.Clear();
        return linked;
    }

    /// <summary>
    /// Ends the round's receiving: fails on a damaged envelope checked aside, crosslinks what
    /// arrived, and fails when a delta received in this round does not hash to its name once its
    /// source came (the peer sent content that is not what it named; fetching it again would
    /// bring the same bytes). Wrong deltas of earlier rounds are phantoms again and ask no more.
    /// </summary>
    /// <returns>How many artifacts were crosslinked.</returns>
    /// <exception cref="CorruptContentException">Some artifact of the round is damaged.</exception>
    public int Complete()
    {
        // Waiting runs the check here if it has not started yet.
        if (_envelopes?.GetAwaiter().GetResult() is { } damaged) throw damaged;
        int linked = LinkArrived();
        var rejected = _repository.Content.DrainRejected().Where(_deltas.Contains).ToList();
        if (rejected.Count > 0)
        {
            throw new CorruptContentException(
                $"{rejected.Count} artifacts received as deltas do not hash to their names once expanded, e.g. {rejected[0]}.");
        }
        return linked;
    }

    // The first damaged envelope, or null; returned, not thrown, so a round that fails for
    // another reason first leaves no unobserved exception behind.
    private static CorruptContentException? FirstDamagedEnvelope(IReadOnlyList<XferCard> cards, int maxSize)
    {
        foreach (var card in cards)
        {
            if (card is not CFileCard c) continue;
            try
            {
                ContentStore.CheckEnvelope(c.Hash, c.DeltaSource, c.Payload, c.UncompressedSize, maxSize);
            }
            catch (CorruptContentException ex)
            {
                return ex;
            }
        }
        return null;
    }

    private StoreOptions Store() => new() { ReceiptId = Receipt(), Private = TakePrivate(), VerifyLater = _options.VerifyLater };

    private void Arrived(long rid, int bytes)
    {
        // An artifact stored unchecked is crosslinked by the pass that checks it.
        if (!_options.VerifyLater) _arrived.Add(rid);
        Received++;
        BytesReceived += bytes;
    }

    private void NoteIfNew(string hash, string? deltaSource, bool isPrivate)
    {
        bool name = _options.NameNew && !isPrivate;
        // Deltas stored unchecked are checked by the caller's later pass, not at Complete.
        bool delta = deltaSource is not null && !_options.VerifyLater;
        if (!_options.CountNew && !name && !delta) return;
        if (_repository.Content.FindRid(hash) is long rid && !_repository.Content.IsPhantom(rid))
        {
            // A copy held unchecked is replaced by this one, which this round then answers for.
            if (delta && _repository.Content.WaitsOnPhantom(rid)) _deltas.Add(hash);
            return;
        }
        if (_options.CountNew) StoredNew++;
        if (name) _newNames.Add(hash);
        if (delta) _deltas.Add(hash);
    }

    private bool TakePrivate()
    {
        bool result = _nextPrivate;
        _nextPrivate = false;
        return result;
    }

    private bool TakeDrop()
    {
        bool result = _dropNext;
        _dropNext = false;
        // A private mark belongs to the artifact dropped, never to the one after it.
        if (result) _nextPrivate = false;
        return result;
    }
}
