namespace FossilSync.Repo;

/// <summary>
/// Expanded artifacts kept in memory, keyed by artifact name and bounded in bytes (least
/// recently used first out). Delta chains share their bases, so a warm cache turns a chain
/// walk into one lookup. One instance may be shared by any number of repository connections
/// on any threads (<see cref="RepositoryOptions.ContentCache"/>,
/// <see cref="Server.SyncServerOptions.ContentCache"/>): a server keeps one across requests.
/// </summary>
/// <remarks>
/// Content is keyed by its name, which it hashes to, so an entry is right for every
/// repository holding that artifact, and a rolled-back round that reused a row id cannot make
/// it wrong. A connection puts only checked content here: expansions of deltas not yet
/// checked against their names (a clone's unchecked transfer, a delta whose source just
/// arrived) stay in that connection's own cache.
/// </remarks>
public sealed class ContentCache
{
    /// <summary>The capacity a server host gives each repository's cache when none is configured, and a repository's own default.</summary>
    public const long DefaultCapacityBytes = 8L * 1024 * 1024;

    private readonly ByteBoundedLru<string> _entries;
    private readonly Lock _lock = new();
    private long _hits;
    private long _misses;

    /// <summary>A cache holding at most <paramref name="capacityBytes"/> bytes of content; an artifact over a quarter of that is not kept.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacityBytes"/> is not positive.</exception>
    public ContentCache(long capacityBytes = DefaultCapacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        _entries = new ByteBoundedLru<string>(capacityBytes);
    }

    /// <summary>The most bytes of content kept.</summary>
    public long CapacityBytes => _entries.CapacityBytes;

    /// <summary>Bytes of content kept now.</summary>
    public long Bytes
    {
        get { lock (_lock) return _entries.Bytes; }
    }

    /// <summary>Artifacts kept now.</summary>
    public int Count
    {
        get { lock (_lock) return _entries.Count; }
    }

    /// <summary>Lookups answered from the cache since it was made.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Lookups the cache could not answer since it was made.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Drops every entry (the counts of hits and misses stay).</summary>
    public void Clear()
    {
        lock (_lock) _entries.Clear();
    }

    /// <summary>The expanded content of the artifact named <paramref name="hash"/>, if kept. The array is shared: never change it.</summary>
    internal bool TryGet(string hash, out byte[] content)
    {
        bool found;
        lock (_lock) found = _entries.TryGet(hash, out content);
        if (found) Interlocked.Increment(ref _hits);
        else Interlocked.Increment(ref _misses);
        return found;
    }

    /// <summary>Keeps <paramref name="content"/>, which the caller has made sure is the artifact named <paramref name="hash"/>.</summary>
    internal void Add(string hash, byte[] content)
    {
        lock (_lock) _entries.Add(hash, content);
    }

    /// <summary>
    /// As <see cref="Add"/>, for expansions the caller holds only for now, the most recently
    /// used first: only as many as the cache would keep are copied, and the first ends the most
    /// recently used.
    /// </summary>
    internal void AddCopies(IReadOnlyList<(string Hash, ReadOnlyMemory<byte> Content)> newestFirst)
    {
        var kept = new List<(string Hash, ReadOnlyMemory<byte> Content)>();
        lock (_lock)
        {
            long bytes = 0;
            foreach (var expansion in newestFirst)
            {
                if (!_entries.Accepts(expansion.Hash, expansion.Content.Length)) continue;
                if (bytes + expansion.Content.Length > _entries.CapacityBytes) break;
                bytes += expansion.Content.Length;
                kept.Add(expansion);
            }
        }
        // Copied outside the lock; Add takes only what is still not kept by then.
        var copies = new byte[kept.Count][];
        for (int i = 0; i < kept.Count; i++) copies[i] = kept[i].Content.ToArray();
        lock (_lock)
        {
            for (int i = kept.Count - 1; i >= 0; i--) _entries.Add(kept[i].Hash, copies[i]);
        }
    }

    /// <summary>Whether an entry is kept under <paramref name="hash"/>, without counting a lookup (for tests).</summary>
    internal bool Contains(string hash)
    {
        lock (_lock) return _entries.TryGet(hash, out _);
    }
}
