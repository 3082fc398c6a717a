using FossilSync.Primitives;
using FossilSync.Repo.Artifacts;

namespace FossilSync.Repo;

/// <summary>
/// Checks expanded artifacts on another core while the caller goes on expanding: that each
/// hashes to its name (a clone's final pass, <see cref="Repository.Verify"/>), and that each
/// manifest a rebuild parsed without its Z-card MD5 really carries a matching one. Neither
/// needs anything from SQLite. Where the machine has AVX-512, SHA3-256 names are checked eight
/// at a time and Z cards sixteen at a time (<see cref="LaneHasher{TTag}"/>); hashing one by one
/// was a large share of a large clone's CPU.
/// </summary>
/// <remarks>
/// What waits here, or is being hashed, is bounded in bytes (manifests of thousands of files are
/// hundreds of KB each), so memory stays flat however large the repository; and small, because
/// what outlives a young-generation collection costs a large clone's peak memory (the figures
/// are in the commit that set the room). Lanes need several manifests in flight
/// to be worth it, so they get a little more room, and a run of large artifacts (the versions of
/// a file of megabytes) room for eight of them, up to a cap. A lane step costs the same however
/// few lanes are busy, so the lanes wait to be full, unless the caller waits for room or is done,
/// or much is held already: then waiting for more only keeps it longer and soon stops the caller.
/// </remarks>
internal sealed class HashChecker : IDisposable
{
    private static readonly bool LanesAccelerated = Sha3Lanes<Item>.IsAccelerated && Md5Lanes<Item>.IsAccelerated;

    /// <summary>How many large artifacts may be hashed side by side in the lanes.</summary>
    private const int LargeArtifactsSideBySide = Sha3Lanes<Item>.Lanes;

    /// <summary>Larger artifacts are hashed one at a time (by the library): room for several would cost too much memory.</summary>
    private const int LargestLaneArtifact = 9 * 1024 * 1024;

    /// <summary>
    /// The most that large artifacts may hold in flight, unless the caller says otherwise: four
    /// versions of a 4 MB file side by side. The expansion pool keeps as much idle beside it, so
    /// it counts about twice in a walk's peak memory; more room bought a clone or a verify a few
    /// hundredths less time (the figures are in the commits that set it).
    /// </summary>
    public const long DefaultLargestRoom = 16L * 1024 * 1024;

    private readonly bool _useLanes;
    private readonly long _maxInFlightBytes;
    private readonly long _largestRoom;

    private readonly Queue<Item> _queue = new();
    private readonly object _lock = new();
    private readonly List<string> _mismatches = [];
    private readonly Thread _worker;
    private long _inFlightBytes;
    private long _waitingBytes;
    private bool _completed;
    private bool _callerWaiting;
    private Exception? _failure;
    private volatile bool _zCardFailed;

    /// <param name="useLanes">Hash in lanes (null: where the machine runs them in hardware); tests force either way.</param>
    /// <param name="largestRoom">The most that large artifacts may hold in flight: more lets more of them share the lanes, for more memory.</param>
    public HashChecker(bool? useLanes = null, long largestRoom = DefaultLargestRoom)
    {
        _useLanes = useLanes ?? LanesAccelerated;
        _maxInFlightBytes = (_useLanes ? 6L : 2L) * 1024 * 1024;
        // Never less than the usual room.
        _largestRoom = Math.Max(largestRoom, _maxInFlightBytes);
        _worker = new Thread(CheckAll) { IsBackground = true, Name = "FossilSync hash checker" };
        _worker.Start();
    }

    /// <summary>
    /// True while more than a third of the room is taken by work not yet started: a caller with
    /// work it could hand over (a Z card) does better to do it itself than to wait for room.
    /// </summary>
    public bool IsBehind => Volatile.Read(ref _waitingBytes) > _maxInFlightBytes / 3;

    /// <summary>Bytes queued or being hashed, not yet settled (for tests).</summary>
    public long HeldBytes
    {
        get
        {
            lock (_lock) return _inFlightBytes;
        }
    }

    /// <summary>True once some artifact queued with <see cref="AddZCard(SharedExpansion)"/> turned out not to match its Z card.</summary>
    public bool ZCardFailed => _zCardFailed;

    /// <summary>Queues one artifact to be checked against its name (waits while the queue is full).</summary>
    public void Add(string hash, byte[] content) => Enqueue(new Item(hash, content, null));

    /// <summary>
    /// Queues one artifact to be checked against its name, holding <paramref name="content"/>
    /// until it is hashed (waits while the queue is full).
    /// </summary>
    public void Add(string hash, SharedExpansion content)
    {
        content.Hold();
        Enqueue(new Item(hash, content.Memory, content));
    }

    /// <summary>Queues an artifact parsed with <see cref="ArtifactParser.ParseDeferringZCard"/>.</summary>
    public void AddZCard(byte[] content) => Enqueue(new Item(null, content, null));

    /// <summary>Queues a parsed artifact's Z card, holding <paramref name="content"/> until it is hashed.</summary>
    public void AddZCard(SharedExpansion content)
    {
        content.Hold();
        Enqueue(new Item(null, content.Memory, content));
    }

    /// <summary>Waits for every queued check; returns the names whose content did not match.</summary>
    public IReadOnlyList<string> Complete()
    {
        Stop();
        if (_failure is not null) throw new InvalidOperationException("the hash checker failed.", _failure);
        return _mismatches;
    }

    public void Dispose() => Stop();

    private void Stop()
    {
        lock (_lock)
        {
            _completed = true;
            Monitor.PulseAll(_lock);
        }
        _worker.Join();
    }

    private void Enqueue(Item item)
    {
        lock (_lock)
        {
            long room = RoomFor(item);
            while (_inFlightBytes > 0 && _inFlightBytes + item.Content.Length > room && _failure is null)
            {
                _callerWaiting = true;
                Monitor.PulseAll(_lock);
                Monitor.Wait(_lock);
            }
            _callerWaiting = false;
            // A failed checker releases nothing: what it held is left to the collector, never reused.
            if (_failure is not null) return;
            _queue.Enqueue(item);
            _inFlightBytes += item.Content.Length;
            _waitingBytes += item.Content.Length;
            Monitor.PulseAll(_lock);
        }
    }

    private void CheckAll()
    {
        try
        {
            if (_useLanes) CheckInLanes();
            else CheckOneByOne();
        }
        catch (Exception ex)
        {
            lock (_lock)
            {
                _failure = ex;
                _queue.Clear();
                _inFlightBytes = _waitingBytes = 0;
                Monitor.PulseAll(_lock);
            }
        }
    }

    private void CheckOneByOne()
    {
        while (TakeOne() is { } item)
        {
            if (item.Hash is null)
            {
                if (!ArtifactParser.ZCardHolds(item.Content.Span)) _zCardFailed = true;
            }
            else if (!ArtifactHash.Matches(item.Hash, item.Content.Span))
            {
                _mismatches.Add(item.Hash);
            }
            item.Holder?.Release();
            Release(item.Content.Length);
        }
    }

    private Item? TakeOne()
    {
        lock (_lock)
        {
            while (_queue.Count == 0 && !_completed) Monitor.Wait(_lock);
            if (!_queue.TryDequeue(out var item)) return null;
            _waitingBytes -= item.Content.Length;
            return item;
        }
    }

    private void CheckInLanes()
    {
        var names = new Sha3Lanes<Item>();
        var zCards = new Md5Lanes<Item>();
        var taken = new List<Item>();
        var finished = new List<(Item Item, byte[] Digest)>();
        while (true)
        {
            if (!TakeStartable(taken, names, zCards)) return;
            long settled = 0;
            foreach (var item in taken)
            {
                if (item.Hash is null)
                {
                    // Where the card's digits are rides along with the item, for the comparison.
                    if (ArtifactParser.TryLocateZCard(item.Content.Span, out var hashed, out var expectedHex)) zCards.Start(item.Content[hashed], item with { ZCardHex = expectedHex });
                    else settled += Settle(item);
                }
                else if (SharesSha3Lanes(item))
                {
                    names.Start(item.Content, item);
                }
                else
                {
                    // SHA1 has its own instructions (SHA-NI): one at a time is fast already. A
                    // huge artifact would hash in a lane nearly alone, one-eighth used, for
                    // longer than the library hash takes.
                    if (!ArtifactHash.Matches(item.Hash, item.Content.Span)) _mismatches.Add(item.Hash);
                    settled += Settle(item);
                }
            }
            taken.Clear();
            // An MD5 step takes 64 bytes a lane, a SHA3 step 136: two of one per one of the other.
            names.Step(finished);
            zCards.Step(finished);
            zCards.Step(finished);
            foreach (var (item, digest) in finished)
            {
                if (item.Hash is null)
                {
                    if (!HexEquals(item.Content.Span[item.ZCardHex], digest)) _zCardFailed = true;
                }
                else if (!HexEquals(item.Hash, digest))
                {
                    _mismatches.Add(item.Hash);
                }
                settled += Settle(item);
            }
            finished.Clear();
            if (settled > 0) Release(settled);
        }
    }

    // Moves to taken the queued items that free lanes can start now (in order). A step costs
    // the same however few lanes are busy, so it waits to fill them, unless the caller is
    // waiting for room or has finished, or what is in flight takes over a third of the usual
    // room (large versions); false when there is nothing and nothing more will come.
    private bool TakeStartable(List<Item> taken, Sha3Lanes<Item> names, Md5Lanes<Item> zCards)
    {
        lock (_lock)
        {
            int freeNames = names.FreeLanes, freeZCards = zCards.FreeLanes;
            while (true)
            {
                bool full = false;
                while (_queue.TryPeek(out var next))
                {
                    if (next.Hash is null ? freeZCards <= 0 : SharesSha3Lanes(next) && freeNames <= 0)
                    {
                        full = true;
                        break;
                    }
                    if (next.Hash is null) freeZCards--;
                    else if (SharesSha3Lanes(next)) freeNames--;
                    _queue.Dequeue();
                    _waitingBytes -= next.Content.Length;
                    taken.Add(next);
                }
                bool idle = taken.Count == 0 && names.IsIdle && zCards.IsIdle;
                if (_completed) return !idle;
                if (full || freeNames == 0 || freeZCards == 0 || (!idle && (_callerWaiting || HoldsMuch))) return true;
                Monitor.Wait(_lock);
            }
        }
    }

    // Large versions in the lanes: waiting to fill the rest would keep their memory longer, and
    // as versions of one file started together finish together, the caller (stopped by the
    // room) and the lanes (waiting for the caller) would take turns instead of overlapping.
    private bool HoldsMuch => _inFlightBytes > _maxInFlightBytes / 3;

    // An item is done with: its content may be reused; returns the bytes it took of the room.
    private static int Settle(Item item)
    {
        item.Holder?.Release();
        return item.Content.Length;
    }

    private static bool SharesSha3Lanes(Item item) =>
        item.Hash?.Length == ArtifactHash.Sha3Length && item.Content.Length <= LargestLaneArtifact;

    // Room for the queue when item arrives. A large artifact in the lanes only pays when several
    // of its size hash side by side (a file of megabytes edited in many check-ins arrives as a
    // run of versions), so those get room for several of their size; the rest share the usual room.
    private long RoomFor(Item item) =>
        _useLanes && SharesSha3Lanes(item) ? Math.Clamp(LargeArtifactsSideBySide * (long)item.Content.Length, _maxInFlightBytes, _largestRoom) : _maxInFlightBytes;

    private void Release(long bytes)
    {
        lock (_lock)
        {
            _inFlightBytes -= bytes;
            Monitor.PulseAll(_lock);
        }
    }

    private static bool HexEquals(ReadOnlySpan<char> hex, ReadOnlySpan<byte> digest) =>
        hex.Length == 2 * digest.Length && hex.SequenceEqual(Convert.ToHexStringLower(digest));

    private static bool HexEquals(ReadOnlySpan<byte> hex, ReadOnlySpan<byte> digest)
    {
        if (hex.Length != 2 * digest.Length) return false;
        Span<char> chars = stackalloc char[hex.Length];
        for (int i = 0; i < hex.Length; i++) chars[i] = (char)hex[i];
        return HexEquals(chars, digest);
    }

    /// <param name="Hash">The name to check against; null for a Z card.</param>
    /// <param name="Content">The artifact.</param>
    /// <param name="Holder">Released once the content is hashed, so its array may be reused.</param>
    private sealed record Item(string? Hash, ReadOnlyMemory<byte> Content, SharedExpansion? Holder)
    {
        /// <summary>For a Z card being hashed: where its 32 hex digits are in <see cref="Content"/>.</summary>
        public Range ZCardHex { get; init; }
    }
}
