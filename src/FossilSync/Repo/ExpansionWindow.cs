namespace FossilSync.Repo;

/// <summary>
/// The expansions a sender made last, kept up to a bound in bytes, each written into an array
/// from a pool of its own (<see cref="SharedExpansion"/>, <see cref="ExpansionPool"/>). A push
/// sends each version of a file and makes a delta against the version before it; history is
/// stored as reverse deltas and expanded newest first, so each version is mostly one step from
/// one held here (a miss walks down to one, or to the full text, and keeps each step on the
/// way back up). Through <see cref="ContentStore.Get"/> each step wrote a fresh array of the
/// file's size that the cache kept, and the GC then collected: the page faults and zeroing of
/// those arrays were a large share of a push's CPU.
/// </summary>
/// <remarks>
/// An expansion leaves the window when it is the least recently used past the bound; its array
/// goes back to the pool only after every holder has released it, so a caller may keep one
/// while the window moves on. Whatever keeps bytes beyond its hold (a card that goes on the
/// wire) takes them with <see cref="SharedExpansion.Detach"/>. When the store drops its cached
/// expansions (<see cref="ContentStore.Forgotten"/>) the window drops its own too. One thread.
/// </remarks>
internal sealed class ExpansionWindow(Repository repository, long maxBytes) : IDisposable
{
    // Evicting to make room for one large file's version hands back many small arrays at once;
    // an idle bound of the pool's default then dropped most large ones before they were asked
    // for again.
    private readonly ExpansionPool _pool = new(Math.Max(maxBytes / 2, ExpansionPool.DefaultMaxIdleBytes));
    private readonly Dictionary<long, LinkedListNode<Held>> _index = [];
    private readonly LinkedList<Held> _order = new();
    private long _bytes;
    // Longer chains are left to the store's walk, which caches every few links.
    private const int MaxWalk = 10_000;
    private int _forgotten = repository.Content.Forgotten;

    /// <summary>Expansions made as one step from one held here, into a pooled array.</summary>
    public int Stepped { get; private set; }

    /// <summary>Arrays handed out again instead of allocated (for tests and benchmarks).</summary>
    public int Reused => _pool.Reused;

    /// <summary>
    /// The content of <paramref name="rid"/>, held for the caller, who must
    /// <see cref="SharedExpansion.Release"/> it; null for a phantom or an incomplete chain.
    /// </summary>
    /// <exception cref="Primitives.CorruptContentException">Stored content is damaged.</exception>
    public SharedExpansion? Get(long rid)
    {
        var store = repository.Content;
        if (store.Forgotten != _forgotten)
        {
            Clear();
            _forgotten = store.Forgotten;
        }
        if (_index.TryGetValue(rid, out var node))
        {
            _order.Remove(node);
            _order.AddFirst(node);
            node.Value.Content.Hold();
            return node.Value.Content;
        }
        // Down the chain to an expansion in hand (held here or kept by the store) or a full
        // text, then back up one step at a time, each step kept: the versions in between are
        // the ones asked for next.
        var links = new Stack<long>();
        var seen = new HashSet<long>();
        SharedExpansion? content = null;
        for (long current = rid; content is null;)
        {
            if (!seen.Add(current) || links.Count > MaxWalk) return Unkept(rid);
            if (_index.TryGetValue(current, out var held))
            {
                content = held.Value.Content;
                content.Hold();
            }
            else if (store.TryGetKept(current, out var kept))
            {
                content = SharedExpansion.Unpooled(kept);
            }
            else if (store.DeltaSourceOf(current) is long source)
            {
                links.Push(current);
                current = source;
            }
            else
            {
                // A full text (or a phantom: then the chain cannot be expanded).
                if (store.Get(current) is not { } whole) return null;
                content = Keep(current, null, SharedExpansion.Unpooled(whole));
            }
        }
        while (links.TryPop(out long link))
        {
            SharedExpansion? next;
            string hash;
            try
            {
                next = store.ExpandDelta(link, content, _pool, out hash);
            }
            finally
            {
                content.Release();
            }
            if (next is null) return null;
            Stepped++;
            content = Keep(link, hash, next);
        }
        return content;
    }

    /// <summary>
    /// Offers the expansions held now to the cache shared across connections, as copies
    /// (<see cref="ContentStore.Share"/>): a sender calls it once it has sent a batch. Offered
    /// at every step instead, a pull of a large file's versions copied each one into a cache
    /// that kept only the last few.
    /// </summary>
    public void Share()
    {
        var store = repository.Content;
        if (store.Forgotten != _forgotten) return;
        var newestFirst = new List<(string Hash, ReadOnlyMemory<byte> Content)>();
        foreach (var held in _order)
        {
            if (held.Hash is not null) newestFirst.Add((held.Hash, held.Content.Memory));
        }
        store.Share(newestFirst);
    }

    // A chain this window will not walk (a cycle, or longer than it walks): the store's own
    // walk reports it or expands it into an array of its own.
    private SharedExpansion? Unkept(long rid) => repository.Content.Get(rid) is { } whole ? SharedExpansion.Unpooled(whole) : null;

    // The window takes a hold of its own; the caller's stays with the caller. A step's name
    // comes with it, to share it later; a full text read from the store is the store's to share.
    private SharedExpansion Keep(long rid, string? hash, SharedExpansion content)
    {
        content.Hold();
        _index[rid] = _order.AddFirst(new Held(rid, hash, content));
        _bytes += content.Length;
        // The newest stays even when it alone is over the bound.
        while (_bytes > maxBytes && _order.Count > 1) Evict(_order.Last!);
        return content;
    }

    private void Evict(LinkedListNode<Held> node)
    {
        _order.Remove(node);
        _index.Remove(node.Value.Rid);
        _bytes -= node.Value.Content.Length;
        node.Value.Content.Release();
    }

    private void Clear()
    {
        while (_order.Last is { } oldest) Evict(oldest);
    }

    /// <summary>
    /// Lets go of every expansion held and every idle array, for a caller that outlives its
    /// sending (a server round still encodes and writes its reply). The window stays usable,
    /// empty; arrays still held by callers go back to the pool when they release them.
    /// </summary>
    public void Release()
    {
        Clear();
        _pool.DropIdle();
    }

    /// <summary>Releases the window's holds; arrays still held by callers go back when they release them.</summary>
    public void Dispose() => Clear();

    private readonly record struct Held(long Rid, string? Hash, SharedExpansion Content);
}
