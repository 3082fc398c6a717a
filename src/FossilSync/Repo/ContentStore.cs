using System.Buffers;
using FossilSync.Primitives;
using FossilSync.Repo.Artifacts;

namespace FossilSync.Repo;

/// <summary>
/// Artifacts in the <c>blob</c> and <c>delta</c> tables: storing full text, deltas and
/// received compressed envelopes; expanding delta chains; phantoms, private and shunned names;
/// the <c>unclustered</c>/<c>unsent</c> bookkeeping. Every method must run inside a
/// repository transaction when it writes.
/// </summary>
/// <remarks>
/// Invariant: a stored artifact hashes to its name. Content that can be checked is checked
/// before it is written. A delta whose source has not arrived cannot be checked; it is stored
/// against a phantom source (normal during a clone) and checked as soon as the chain is
/// complete, and if it fails it becomes a phantom again so that it is fetched anew.
/// </remarks>
internal sealed class ContentStore(Repository repository)
{
    // Stock stores a delta only when it saves at least a quarter of the size.
    /// <summary>A delta is stored in place of a full text only below this share of its size.</summary>
    internal const double DeltaWorthRatio = 0.75;
    /// <summary>Texts shorter than this are never stored as deltas (nor used as sources).</summary>
    internal const int DeltaMinimumSize = 50;

    // This connection's own expansions, by rid: no other connection sees them, so they may be
    // of content not checked yet; a rollback drops them (a rid can then name other content).
    private readonly ByteBoundedLru<long>? _own = repository.Options.ContentCacheBytes > 0 ? new ByteBoundedLru<long>(repository.Options.ContentCacheBytes) : null;
    // Checked expansions shared with other connections, by name.
    private readonly ContentCache? _shared = repository.Options.ContentCache;
    // Set once this connection stores content to be checked later (a clone's transfer): what it
    // expands from then on may be wrong until checked, so it never goes into the shared cache.
    private bool _storedUnchecked;
    // Above zero while expanding what is not known to be checked, or walking every artifact.
    private int _ownOnly;
    private readonly List<string> _rejected = [];
    // Artifacts received since their crosslink whose content, in hand when their hash was
    // checked, cannot be a control artifact: the crosslink need not expand them again only to
    // find that out (a pull expanded each version of a file of megabytes once more for it).
    private readonly HashSet<long> _plainArrivals = [];
    private readonly Dictionary<long, byte[]> _pinned = [];
    private bool _deltaChecksums = true;
    // Queries, unless a bulk job has put a name index in their place (UseNameIndex).
    private INameLookup _names = new SqlNameLookup(repository);

    // Longer than any real history's chain; a walk that goes further is refused, not followed.
    private const int MaxDeltaChain = 1_000_000;

    private int MaxSize => repository.Options.MaxArtifactSize;

    /// <summary>Delta-chain links followed so far by reads and checks: the work hostile input can cause, for tests to bound.</summary>
    internal long LinksWalked { get; private set; }

    /// <summary>
    /// Counts the times cached expansions were dropped because a rid's content changed or may
    /// have (a replaced or rejected delta, a rollback): a keeper of expansions outside this
    /// store (<see cref="ExpansionWindow"/>) drops its own when it moves.
    /// </summary>
    internal int Forgotten { get; private set; }

    /// <summary>The rid <paramref name="rid"/> is stored as a delta of, or null for a full text.</summary>
    internal long? DeltaSourceOf(long rid) => repository.Scalar<long?>("SELECT srcid FROM delta WHERE rid=$r", ("$r", rid));

    /// <summary>The rid of a name (phantom or not), or null.</summary>
    public long? FindRid(string hash) => _names.FindRid(hash);

    /// <summary>The name of a rid, or null.</summary>
    public string? HashOf(long rid) => repository.Scalar<string>("SELECT uuid FROM blob WHERE rid=$r", ("$r", rid));

    /// <summary>True when <paramref name="rid"/> is a phantom (known by name, content missing).</summary>
    public bool IsPhantom(long rid) => _names.IsPhantom(rid);

    /// <summary>True when <paramref name="rid"/> is private.</summary>
    public bool IsPrivate(long rid) => _names.IsPrivate(rid);

    /// <summary>True when the name is on the shun list (or SHA1 names are shunned by policy).</summary>
    public bool IsShunned(string hash) => _names.IsShunned(hash);

    /// <summary>True when the repository's explicit <c>hash-policy</c> shuns every SHA1 name.</summary>
    internal static bool PolicyShunsSha1(Repository repository) =>
        repository.GetConfig("hash-policy") == ((int)HashPolicy.ShunSha1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Names of artifacts whose dangling delta, once its chain was complete, did not hash to its
    /// name; each became a phantom again. Cleared by reading.
    /// </summary>
    public IReadOnlyList<string> DrainRejected()
    {
        var result = _rejected.ToArray();
        _rejected.Clear();
        return result;
    }

    /// <summary>The rid of <paramref name="hash"/>, creating a phantom for it if unknown; 0 when the name is shunned.</summary>
    public long GetOrCreatePhantom(string hash, bool isPrivate = false)
    {
        if (!ArtifactHash.IsValid(hash)) throw new CorruptContentException($"'{hash}' is not an artifact name.");
        if (FindRid(hash) is long existing) return existing;
        if (IsShunned(hash)) return 0;
        long rid = repository.Scalar<long>("INSERT INTO blob(rcvid, size, uuid, content) VALUES(0, -1, $u, NULL) RETURNING rid", ("$u", hash));
        repository.Execute("INSERT INTO phantom(rid) VALUES($r)", ("$r", rid));
        repository.Execute(isPrivate ? "INSERT INTO private(rid) VALUES($r)" : "INSERT INTO unclustered(rid) VALUES($r)", ("$r", rid));
        _names.Added(hash, rid, phantom: true, isPrivate);
        return rid;
    }

    /// <summary>Stores full content under <paramref name="hash"/>; returns its rid (0 when shunned).</summary>
    /// <exception cref="CorruptContentException">The content does not hash to <paramref name="hash"/> or is too large.</exception>
    public long PutFull(ReadOnlySpan<byte> content, string hash, StoreOptions options)
    {
        CheckSize(content.Length, hash);
        bool? plain = options.VerifyLater ? null : CheckFull(hash, content);
        return NotePlain(Store(hash, BlobCompression.Compress(content), content.Length, sourceRid: null, options), plain);
    }

    /// <summary>
    /// Stores an artifact received as a delta against <paramref name="sourceHash"/>. With the
    /// source present the result is checked now; otherwise the delta is stored dangling against
    /// a phantom source and checked when the source arrives.
    /// </summary>
    public long PutDelta(string hash, string sourceHash, ReadOnlySpan<byte> delta, StoreOptions options)
    {
        long sourceRid = DeltaSource(hash, sourceHash);
        int size = FossilDelta.GetTargetLength(delta);
        CheckSize(size, hash);
        byte[]? source = options.VerifyLater || IsPhantom(sourceRid) ? null : Get(sourceRid);
        bool? plain = source is null ? null : CheckDelta(hash, source, delta);
        if (plain is null && !options.VerifyLater) RefuseCycle(hash, sourceRid);
        return NotePlain(Store(hash, BlobCompression.Compress(delta), size, sourceRid, options), plain);
    }

    /// <summary>
    /// Stores a received compressed envelope verbatim (a <c>cfile</c> payload): the full text,
    /// or a delta against <paramref name="sourceHash"/>, of an artifact of <paramref name="size"/> bytes.
    /// </summary>
    public long PutCompressed(string hash, string? sourceHash, ReadOnlyMemory<byte> envelope, long size, StoreOptions options)
    {
        byte[]? inner = options.VerifyLater && options.EnvelopeChecked ? null : CheckEnvelope(hash, sourceHash, envelope, size, MaxSize);
        if (sourceHash is null)
        {
            bool? plainText = options.VerifyLater ? null : CheckFull(hash, inner);
            return NotePlain(Store(hash, AsStored(envelope), size, sourceRid: null, options), plainText);
        }
        long sourceRid = DeltaSource(hash, sourceHash);
        byte[]? source = options.VerifyLater || IsPhantom(sourceRid) ? null : Get(sourceRid);
        bool? plain = source is null ? null : CheckDelta(hash, source, inner);
        if (plain is null && !options.VerifyLater) RefuseCycle(hash, sourceRid);
        return NotePlain(Store(hash, AsStored(envelope), size, sourceRid, options), plain);
    }

    /// <summary>
    /// True, once, when <paramref name="rid"/> arrived since its last crosslink and its content,
    /// checked against its name then, cannot be a control artifact: the crosslink need not read it.
    /// </summary>
    internal bool TakePlainArrival(long rid) => _plainArrivals.Remove(rid);

    // Notes an artifact just stored whose check found it plain (null: not checked yet).
    private long NotePlain(long rid, bool? plain)
    {
        if (rid > 0 && plain == true) _plainArrivals.Add(rid);
        return rid;
    }

    /// <summary>
    /// Checks that <paramref name="delta"/> applied to <paramref name="source"/> hashes to
    /// <paramref name="hash"/>; returns whether that content is plain (cannot be a control
    /// artifact). The expansion is needed only for this, so it is rented.
    /// </summary>
    /// <exception cref="CorruptContentException">The delta is malformed, or its result does not hash to <paramref name="hash"/>.</exception>
    private static bool CheckDelta(string hash, ReadOnlySpan<byte> source, ReadOnlySpan<byte> delta)
    {
        using var content = FossilDelta.ApplyRented(source, delta);
        return CheckFull(hash, content.Span);
    }

    /// <summary>
    /// Checks that <paramref name="content"/> hashes to <paramref name="hash"/>; returns whether
    /// it is plain (cannot be a control artifact).
    /// </summary>
    /// <exception cref="CorruptContentException">The content does not hash to <paramref name="hash"/>.</exception>
    private static bool CheckFull(string hash, ReadOnlySpan<byte> content)
    {
        ArtifactHash.Verify(hash, content);
        return !ArtifactParser.CouldBeArtifact(content);
    }

    // The rid of a received delta's source (a phantom if unknown); a delta of itself is refused.
    private long DeltaSource(string hash, string sourceHash)
    {
        if (string.Equals(hash, sourceHash, StringComparison.Ordinal)) throw new CorruptContentException($"artifact {hash} is a delta against itself.");
        long sourceRid = GetOrCreatePhantom(sourceHash);
        if (sourceRid == 0) throw new CorruptContentException($"artifact {hash} is a delta against shunned artifact {sourceHash}.");
        return sourceRid;
    }

    /// <summary>
    /// Refuses a delta that would close a cycle: its source's chain ends at the phantom it is
    /// about to fill. Called only when the source could not be expanded (its chain ends at some
    /// phantom), so a delta against content at hand costs nothing more; the walk follows the
    /// chain that expansion just followed, once.
    /// </summary>
    /// <exception cref="CorruptContentException">The delta would make a cycle, or its chain is over-long.</exception>
    private void RefuseCycle(string hash, long sourceRid)
    {
        // Only filling a phantom can close a cycle: nothing points at a new name, and a stored
        // artifact is never re-pointed.
        if (FindRid(hash) is not long target || !IsPhantom(target)) return;
        long steps = 0;
        foreach (long step in ChainFrom(sourceRid))
        {
            LinksWalked++;
            if (step == target) throw new CorruptContentException($"artifact {hash} is a delta whose source's chain leads back to it (a delta cycle).");
            if (++steps > MaxDeltaChain) throw new CorruptContentException($"artifact {hash} is a delta whose source's chain is over {MaxDeltaChain} links long.");
        }
    }

    /// <summary>
    /// What <see cref="PutCompressed"/> checks of a received envelope before anything else: the
    /// announced size within the limit, a complete zlib stream, and content of that size (or a
    /// delta producing it). Needs nothing from the repository, so any thread may call it.
    /// Returns what the envelope inflates to.
    /// </summary>
    /// <exception cref="CorruptContentException">The envelope or its size is wrong.</exception>
    internal static byte[] CheckEnvelope(string hash, string? sourceHash, ReadOnlyMemory<byte> envelope, long size, int maxSize)
    {
        CheckSize(size, hash, maxSize);
        byte[] inner = BlobCompression.Decompress(envelope, maxSize);
        if (sourceHash is null)
        {
            if (inner.Length != size) throw new CorruptContentException($"artifact {hash} is {inner.Length} bytes, not the {size} announced.");
        }
        else if (FossilDelta.GetTargetLength(inner) != size)
        {
            throw new CorruptContentException($"delta for {hash} produces {FossilDelta.GetTargetLength(inner)} bytes, not the {size} announced.");
        }
        return inner;
    }

    // A received payload is read into an array of its own: stored as it is, not copied again.
    private static byte[] AsStored(ReadOnlyMemory<byte> envelope) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(envelope, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : envelope.ToArray();

    // Walks down from the phantoms through the delta index: a handful of rows, not a scan.
    // CROSS JOIN keeps the walk's order (phantoms, then their deltas, then those names):
    // without it SQLite 3.49 scanned the whole blob table against a bloom filter of the
    // (usually empty) walk, on every clone page and pull round.
    internal const string UnexpandableNamesQuery = """
        WITH RECURSIVE dangling(rid) AS (
            SELECT d.rid FROM phantom p CROSS JOIN delta d ON d.srcid=p.rid
            UNION SELECT d.rid FROM dangling g JOIN delta d ON d.srcid=g.rid)
        SELECT b.uuid FROM dangling g CROSS JOIN blob b ON b.rid=g.rid WHERE b.size>=0
        """;

    /// <summary>
    /// Names of stored artifacts that cannot be expanded: deltas whose chain reaches a phantom,
    /// as a delta pushed against a source that never came. Stock keeps such a delta (its source
    /// may still come); it must not be advertised or sent as if it were whole.
    /// </summary>
    public HashSet<string> UnexpandableNames()
    {
        using var cmd = repository.Command(UnexpandableNamesQuery);
        using var reader = repository.Read(cmd);
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read()) names.Add(reader.GetString(0));
        return names;
    }

    /// <summary>How many stored deltas still wait on a source that has not arrived.</summary>
    public long DeltasWaitingOnPhantoms() => repository.Scalar<long>("SELECT count(*) FROM delta WHERE srcid IN (SELECT rid FROM phantom)");

    /// <summary>True when some name's content is still wanted (private ones only when <paramref name="includePrivate"/>).</summary>
    public bool HasPhantoms(bool includePrivate) =>
        repository.Scalar<long>(includePrivate ? "SELECT count(*) FROM phantom" : "SELECT count(*) FROM phantom WHERE rid NOT IN private") > 0;

    /// <summary>Everything made here is on the server now: nothing is queued to go out unasked.</summary>
    public void ForgetUnsent() => repository.Execute("DELETE FROM unsent");

    /// <summary>The full content of <paramref name="rid"/>, or null for a phantom or a delta whose chain is incomplete.</summary>
    /// <exception cref="CorruptContentException">Stored content is damaged (bad envelope, delta or size).</exception>
    public byte[]? Get(long rid)
    {
        if (TryGetOwn(rid, out var cached)) return cached;
        bool shared = UsesShared;
        // Walk down to a full text (or a cached expansion), then apply deltas back up.
        var pending = new List<(long Rid, string Hash, byte[] Delta, long Size)>();
        HashSet<long>? visited = null;
        long current = rid;
        byte[] content;
        while (true)
        {
            if (TryGetOwn(current, out var hit))
            {
                content = hit;
                break;
            }
            using var row = repository.Query("SELECT b.content, b.size, d.srcid, b.uuid FROM blob b LEFT JOIN delta d ON d.rid=b.rid WHERE b.rid=$r", ("$r", current));
            if (!row.Read() || row.IsDBNull(0)) return null;
            // Looked up only once the row shows this repository holds the content: a name
            // alone (a phantom here) would otherwise be answered with what another one holds.
            string hash = row.GetString(3);
            if (shared && _shared!.TryGet(hash, out hit))
            {
                content = hit;
                break;
            }
            byte[] stored = (byte[])row.GetValue(0);
            long size = row.GetInt64(1);
            byte[] inner = BlobCompression.Decompress(stored, MaxSize);
            if (row.IsDBNull(2))
            {
                if (inner.Length != size) throw new CorruptContentException($"artifact rid {current} expands to {inner.Length} bytes but is recorded as {size}.");
                content = inner;
                break;
            }
            pending.Add((current, hash, inner, size));
            current = row.GetInt64(2);
            LinksWalked++;
            // A cycle is caught on its first repeat (the set only for chains past a few links).
            if (pending.Count > 16)
            {
                visited ??= [.. pending.Select(p => p.Rid)];
                if (!visited.Add(current)) throw new CorruptContentException($"delta chain from rid {rid} loops back to rid {current}.");
            }
            else if (pending.Any(p => p.Rid == current))
            {
                throw new CorruptContentException($"delta chain from rid {rid} loops back to rid {current}.");
            }
            if (pending.Count > MaxDeltaChain) throw new CorruptContentException($"delta chain from rid {rid} is over {MaxDeltaChain} links long.");
        }
        return ApplyChain(pending, content, shared);
    }

    // Applies the walked links back up from content, the oldest source. Every few links of a
    // long chain are kept so the next walk starts close by; those and the result get arrays of
    // their own, while the links in between, dropped at once, are written into two rented
    // arrays taking turns (a manifest walked a few hundred links otherwise allocated, faulted
    // in and collected a few hundred copies of itself).
    private byte[] ApplyChain(List<(long Rid, string Hash, byte[] Delta, long Size)> pending, byte[] content, bool shared)
    {
        byte[] source = content;
        int sourceLength = content.Length;
        bool sourceRented = false;
        byte[]? spare = null;
        try
        {
            for (int i = pending.Count - 1; i >= 0; i--)
            {
                var (rid, hash, delta, size) = pending[i];
                byte[] target;
                int length;
                if (i % 8 == 0)
                {
                    target = ApplyStep(rid, source.AsSpan(0, sourceLength), delta, size);
                    length = target.Length;
                    Remember(rid, hash, target, shared);
                }
                else
                {
                    length = RecordedTargetLength(rid, source.AsSpan(0, sourceLength), delta, size);
                    if (spare is not null && spare.Length < length)
                    {
                        ArrayPool<byte>.Shared.Return(spare);
                        spare = null;
                    }
                    target = spare ?? ArrayPool<byte>.Shared.Rent(length);
                    spare = null;
                    FossilDelta.Apply(source.AsSpan(0, sourceLength), delta, target.AsSpan(0, length), _deltaChecksums);
                }
                if (sourceRented && spare is null) spare = source;
                else if (sourceRented) ArrayPool<byte>.Shared.Return(source);
                source = target;
                sourceLength = length;
                sourceRented = i % 8 != 0;
            }
            // The last link (i = 0) is always one with an array of its own.
            return source;
        }
        finally
        {
            if (spare is not null) ArrayPool<byte>.Shared.Return(spare);
            if (sourceRented) ArrayPool<byte>.Shared.Return(source);
        }
    }

    // The shared cache takes part unless what is expanded may not be checked yet.
    private bool UsesShared => _shared is not null && !_storedUnchecked && _ownOnly == 0;

    /// <summary>An expansion of <paramref name="rid"/> this connection keeps (cached or pinned), if any.</summary>
    internal bool TryGetKept(long rid, out byte[] content) => TryGetOwn(rid, out content);

    private bool TryGetOwn(long rid, out byte[] content) =>
        _pinned.TryGetValue(rid, out content!) || (_own is not null && _own.TryGet(rid, out content));

    private void Remember(long rid, string hash, byte[] content, bool shared)
    {
        if (shared) _shared!.Add(hash, content);
        else _own?.Add(rid, content);
    }

    /// <summary>
    /// Keeps the expansion of <paramref name="rid"/> until <see cref="Unpin"/>, outside the
    /// cache's bounds. A rebuild pins one artifact every few hundred links down the delta chain
    /// it walks: reading an artifact off that path (a check-in's parent stored as a delta of a
    /// check-in on another branch) then walks a few hundred links instead of the whole chain
    /// back to its full text, which in a long history is thousands of manifests.
    /// </summary>
    internal void Pin(long rid, byte[] content) => _pinned[rid] = content;

    /// <summary>Releases an expansion kept by <see cref="Pin"/>.</summary>
    internal void Unpin(long rid) => _pinned.Remove(rid);

    /// <summary>
    /// The content of <paramref name="rid"/>, stored as a delta, applied to its source's content
    /// already in hand: one step instead of a walk down the chain (rebuild's tree order). The
    /// result is written into an array from <paramref name="pool"/> and not cached: the walk
    /// shares it with its readers and gives it back once they are done; what it will read again
    /// it passes to <see cref="Keep"/>.
    /// </summary>
    /// <param name="rid">The artifact.</param>
    /// <param name="source">The expanded content of the artifact it is a delta of, held by the caller.</param>
    /// <param name="pool">Where the result's array comes from.</param>
    /// <param name="hash">Its name, read in the same query (for a caller that checks it).</param>
    internal SharedExpansion? ExpandDelta(long rid, SharedExpansion source, ExpansionPool pool, out string hash)
    {
        byte[] stored;
        long size;
        hash = "";
        if (TryGetOwn(rid, out var cached))
        {
            // Already expanded (a crosslink read this manifest as its child's parent).
            hash = repository.Scalar<string>("SELECT uuid FROM blob WHERE rid=$r", ("$r", rid)) ?? "";
            return SharedExpansion.Unpooled(cached);
        }
        using (var row = repository.Query("SELECT content, size, uuid FROM blob WHERE rid=$r", ("$r", rid)))
        {
            if (!row.Read() || row.IsDBNull(0)) return null;
            stored = (byte[])row.GetValue(0);
            size = row.GetInt64(1);
            hash = row.GetString(2);
        }
        if (UsesShared && _shared!.TryGet(hash, out cached)) return SharedExpansion.Unpooled(cached);
        byte[] delta = BlobCompression.Decompress(stored, MaxSize);
        LinksWalked++;
        return SharedExpansion.Apply(source, delta, RecordedTargetLength(rid, source.Span, delta, size), pool, _deltaChecksums);
    }

    // The length a delta declares, safe to allocate, checked against the size recorded for rid.
    private static int RecordedTargetLength(long rid, ReadOnlySpan<byte> source, byte[] delta, long size)
    {
        int length = FossilDelta.GetCheckedTargetLength(source, delta);
        if (length != size) throw new CorruptContentException($"artifact rid {rid} expands to {length} bytes but is recorded as {size}.");
        return length;
    }

    /// <summary>Caches an expansion made by a walk that it will read again (a manifest, read as its children's parent).</summary>
    internal void Keep(long rid, string hash, byte[] content) => Remember(rid, hash, content, UsesShared);

    /// <summary>
    /// Offers expansions made outside the store (an <see cref="ExpansionWindow"/>'s), the most
    /// recently used first, to the cache shared across connections, as copies: other requests
    /// then find them as they find what <see cref="Get"/> expanded.
    /// </summary>
    internal void Share(IReadOnlyList<(string Hash, ReadOnlyMemory<byte> Content)> newestFirst)
    {
        if (UsesShared && newestFirst.Count > 0) _shared!.AddCopies(newestFirst);
    }

    // One link of a delta chain: the delta applied to its source, checked against the recorded size.
    private byte[] ApplyStep(long rid, ReadOnlySpan<byte> source, byte[] delta, long size)
    {
        byte[] content = FossilDelta.Apply(source, delta, verifyChecksum: _deltaChecksums);
        if (content.Length != size) throw new CorruptContentException($"artifact rid {rid} expands to {content.Length} bytes but is recorded as {size}.");
        return content;
    }

    /// <summary>
    /// Re-stores <paramref name="rid"/> as a delta against <paramref name="sourceRid"/> when that
    /// saves at least a quarter of its size and creates no cycle; returns whether it did.
    /// </summary>
    public bool Deltify(long rid, long sourceRid)
    {
        if (rid == sourceRid || IsPhantom(rid) || IsPhantom(sourceRid)) return false;
        if (IsPrivate(sourceRid) && !IsPrivate(rid)) return false;
        // The source must not itself depend on rid.
        for (long? s = sourceRid; s is long step; s = DeltaSourceOf(step))
        {
            if (step == rid) return false;
        }
        byte[]? target = Get(rid);
        byte[]? source = Get(sourceRid);
        if (target is null || source is null || target.Length < DeltaMinimumSize) return false;
        byte[] delta = FossilDelta.Create(source, target);
        if (delta.Length >= target.Length * DeltaWorthRatio) return false;
        StoreAsDelta(rid, sourceRid, delta);
        return true;
    }

    /// <summary>Replaces the stored content of <paramref name="rid"/> with <paramref name="delta"/> against <paramref name="sourceRid"/>; the caller has ruled out a cycle.</summary>
    internal void StoreAsDelta(long rid, long sourceRid, byte[] delta)
    {
        repository.Execute("UPDATE blob SET content=$c WHERE rid=$r", ("$c", BlobCompression.Compress(delta)), ("$r", rid));
        repository.Execute("REPLACE INTO delta(rid, srcid) VALUES($r, $s)", ("$r", rid), ("$s", sourceRid));
    }

    /// <summary>Marks an artifact public (drops it from <c>private</c>).</summary>
    public void MakePublic(long rid)
    {
        if (_names.MakingPublic(rid)) repository.Execute("DELETE FROM private WHERE rid=$r", ("$r", rid));
    }

    /// <summary>
    /// Records one receiving session (<c>rcvfrom</c>); its id goes into each blob it delivers. A
    /// request replayed with the same login nonce (a client retrying a round whose reply it lost)
    /// gets the receipt of the first, since the nonce is unique.
    /// </summary>
    public long BeginReceipt(long? userId, string? nonce, string? ipAddress) =>
        repository.Scalar<long>(
            "INSERT INTO rcvfrom(uid, mtime, nonce, ipaddr) VALUES($u, $m, $n, $i) ON CONFLICT(nonce) DO UPDATE SET nonce=excluded.nonce RETURNING rcvid",
            ("$u", userId), ("$m", repository.JulianNow()), ("$n", nonce), ("$i", ipAddress));

    /// <summary>
    /// Until disposed, the cache keeps only the last <paramref name="entries"/> expansions. A
    /// walk that hands each artifact's content to its delta children (rebuild) needs no more,
    /// and a cache full of large contents that outlive the young generation is what the GC
    /// then spends its time copying (a fifth of a large rebuild). The walk stays out of the
    /// shared cache, which it would flush of what other connections reuse.
    /// </summary>
    internal IDisposable KeepFewExpansions(int entries)
    {
        _ownOnly++;
        if (_own is not { } own) return new Restore(() => _ownOnly--);
        int before = own.MaxEntries;
        own.MaxEntries = entries;
        return new Restore(() =>
        {
            own.MaxEntries = before;
            _ownOnly--;
        });
    }

    /// <summary>
    /// Until disposed, this connection keeps up to <paramref name="bytes"/> of expansions of its
    /// own (when it caches at all), so that a large file's versions fit: the default cache
    /// keeps nothing over a quarter of its size, and each version of such a file read again
    /// walks its whole chain from the full text. A push reads every version it sends and the
    /// parent it is a delta of. The expansions stay out of the shared cache meanwhile.
    /// </summary>
    internal IDisposable KeepMoreExpansions(long bytes)
    {
        _ownOnly++;
        if (_own is not { } own || own.CapacityBytes >= bytes) return new Restore(() => _ownOnly--);
        long before = own.CapacityBytes;
        own.CapacityBytes = bytes;
        return new Restore(() =>
        {
            own.CapacityBytes = before;
            _ownOnly--;
        });
    }

    /// <summary>
    /// Until disposed, deltas are applied without computing their checksums. Only for a pass
    /// that checks every artifact it expands against its name (a clone's final pass): a wrong
    /// expansion then fails that check, which is stronger, and the checksum was a tenth of
    /// the pass's crosslinking thread.
    /// </summary>
    internal IDisposable SkipDeltaChecksums()
    {
        _deltaChecksums = false;
        return new Restore(() => _deltaChecksums = true);
    }

    // Undoes a temporary setting when disposed.
    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    /// <summary>Forgets cached expansions (after a rollback the rows they came from may be gone).</summary>
    public void ForgetCache()
    {
        // The shared cache is keyed by name, so nothing in it depends on a row id.
        _own?.Clear();
        Forgotten++;
        _pinned.Clear();
        // A rolled-back row's rid may be given to another artifact.
        _plainArrivals.Clear();
        // Names added in the rolled-back transaction are gone from the database too.
        _names = new SqlNameLookup(repository);
    }

    /// <summary>
    /// Answers name, phantom, private and shun lookups from memory until disposed (see
    /// <see cref="NameIndex"/>): for a session that is the repository's only writer and stores
    /// many artifacts. A rollback ends it early.
    /// </summary>
    internal NameIndex UseNameIndex()
    {
        var names = NameIndex.Load(this, repository);
        _names = names;
        return names;
    }

    internal void StopUsing(NameIndex names)
    {
        if (ReferenceEquals(_names, names)) _names = new SqlNameLookup(repository);
    }

    /// <summary>Call after writing the shun list or the hash policy while a name index is in use.</summary>
    internal void RefreshShunning() => _names.ShunningChanged();

    // A copy stored earlier that is still unchecked (a delta waiting on a phantom source) is
    // replaced by the one arriving: the earlier may be the wrong one, and keeping it would drop
    // good bytes that came while it waited (its check then fails and the artifact is lost
    // until asked for again).
    private long Store(string hash, byte[] stored, long size, long? sourceRid, StoreOptions options)
    {
        if (IsShunned(hash)) return 0;
        if (options.VerifyLater) _storedUnchecked = true;
        long rid;
        bool filledPhantom = false;
        if (FindRid(hash) is long existing)
        {
            bool replacing = !IsPhantom(existing);
            if (replacing && !WaitsOnPhantom(existing)) return existing;
            rid = existing;
            filledPhantom = true;
            repository.Execute("UPDATE blob SET rcvid=$v, size=$s, content=$c WHERE rid=$r", ("$v", options.ReceiptId), ("$s", size), ("$c", stored), ("$r", rid));
            repository.Execute("DELETE FROM phantom WHERE rid=$r", ("$r", rid));
            if (replacing)
            {
                repository.Execute("DELETE FROM delta WHERE rid=$r", ("$r", rid));
                _own?.Clear();
                Forgotten++;
            }
            _names.Filled(rid);
            if (options.Private)
            {
                repository.Execute("INSERT OR IGNORE INTO private(rid) VALUES($r)", ("$r", rid));
                _names.MadePrivate(rid);
            }
            else
            {
                MakePublic(rid);
            }
        }
        else
        {
            rid = repository.Scalar<long>(
                "INSERT INTO blob(rcvid, size, uuid, content) VALUES($v, $s, $u, $c) RETURNING rid",
                ("$v", options.ReceiptId), ("$s", size), ("$u", hash), ("$c", stored));
            repository.Execute(options.Private ? "INSERT INTO private(rid) VALUES($r)" : "INSERT INTO unclustered(rid) VALUES($r)", ("$r", rid));
            _names.Added(hash, rid, phantom: false, options.Private);
        }
        if (sourceRid is long source) repository.Execute("REPLACE INTO delta(rid, srcid) VALUES($r, $s)", ("$r", rid), ("$s", source));
        if (options.Local && !options.Private) repository.Execute("INSERT OR IGNORE INTO unsent(rid) VALUES($r)", ("$r", rid));
        // Only a former phantom can have deltas waiting on it.
        if (filledPhantom && !options.VerifyLater) CheckDependents(rid);
        return rid;
    }

    /// <summary>Whether <paramref name="rid"/> is stored as a delta whose chain ends at a phantom: present, but not checked yet.</summary>
    public bool WaitsOnPhantom(long rid)
    {
        long steps = 0;
        foreach (long step in ChainFrom(rid).Skip(1))
        {
            if (IsPhantom(step)) return true;
            if (++steps > MaxDeltaChain) return false;
        }
        return false;
    }

    // start, then its delta source, then that one's source, until a full text (or a phantom).
    private IEnumerable<long> ChainFrom(long start)
    {
        for (long? link = start; link is long step; link = DeltaSourceOf(step))
        {
            yield return step;
        }
    }

    // Now that rid's content exists, every delta waiting on it (directly or through a chain of
    // dangling deltas) can be checked; a bad one becomes a phantom again.
    private void CheckDependents(long rid)
    {
        // A dependent is expanded to be checked: until then it may be wrong.
        _ownOnly++;
        try
        {
            CheckDependentsOf(rid);
        }
        finally
        {
            _ownOnly--;
        }
    }

    private void CheckDependentsOf(long rid)
    {
        var stack = new Stack<long>();
        stack.Push(rid);
        while (stack.Count > 0)
        {
            long parent = stack.Pop();
            var children = new List<(long Rid, string Hash)>();
            using (var cmd = repository.Command("SELECT d.rid, b.uuid FROM delta d JOIN blob b ON b.rid=d.rid WHERE d.srcid=$r AND b.size>=0", ("$r", parent)))
            using (var reader = repository.Read(cmd))
            {
                while (reader.Read()) children.Add((reader.GetInt64(0), reader.GetString(1)));
            }
            foreach (var (child, hash) in children)
            {
                byte[]? content;
                try
                {
                    content = Get(child);
                }
                catch (CorruptContentException)
                {
                    content = [];
                }
                // Still incomplete (its chain reaches another phantom): it is checked when
                // that one arrives, not rejected now.
                if (content is null) continue;
                if (ArtifactHash.Matches(hash, content))
                {
                    NotePlain(child, !ArtifactParser.CouldBeArtifact(content));
                    stack.Push(child);
                    continue;
                }
                _rejected.Add(hash);
                _plainArrivals.Remove(child);
                _own?.Clear();
                Forgotten++;
                repository.Execute("UPDATE blob SET size=-1, content=NULL, rcvid=0 WHERE rid=$r", ("$r", child));
                repository.Execute("DELETE FROM delta WHERE rid=$r", ("$r", child));
                repository.Execute("INSERT OR IGNORE INTO phantom(rid) VALUES($r)", ("$r", child));
                _names.Emptied(child);
            }
        }
    }

    private void CheckSize(long size, string hash) => CheckSize(size, hash, MaxSize);

    private static void CheckSize(long size, string hash, int maxSize)
    {
        if (size < 0 || size > maxSize) throw new CorruptContentException($"artifact {hash} is {size} bytes, over the limit of {maxSize}.");
    }
}
