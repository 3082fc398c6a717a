namespace FossilSync.Repo;

/// <summary>
/// Arrays for the expansions of one walk down delta chains (rebuild, verify, a clone's final
/// pass), handed out again once nobody reads what they held (see <see cref="SharedExpansion"/>).
/// A long history has files of megabytes in hundreds of versions: a fresh array per version
/// costs page faults, zeroing and collections, while a chain needs only a few alive at once.
/// </summary>
/// <remarks>
/// Only arrays of at least <see cref="MinimumPooledLength"/> bytes are pooled; smaller ones are
/// cheap for the young generation. Returns come from the hash checker's thread too. What is
/// kept unused is bounded in bytes; the pool and its arrays go when the walk ends.
/// </remarks>
internal sealed class ExpansionPool(long maxIdleBytes = ExpansionPool.DefaultMaxIdleBytes)
{
    /// <summary>Shorter expansions get arrays of their own, never pooled.</summary>
    public const int MinimumPooledLength = 64 * 1024;

    /// <summary>How many bytes of unused arrays a walk keeps by default.</summary>
    public const long DefaultMaxIdleBytes = 16L * 1024 * 1024;

    /// <summary>
    /// The idle bound for a walk whose expansions wait in a <see cref="HashChecker"/> with
    /// <paramref name="checkerRoom"/> bytes of room for them. Versions of one large file are
    /// hashed side by side and finish together, handing all their arrays back at once; under a
    /// smaller bound half of them went to the collector, only for the walk to allocate as many again for
    /// the next batch (and every such array is a large object, freed only by a full collection).
    /// Arrays are a sixteenth longer than their content, hence the margin.
    /// </summary>
    public static long IdleBytesBeside(long checkerRoom) => Math.Max(DefaultMaxIdleBytes, checkerRoom + checkerRoom / 8);

    private readonly object _lock = new();
    private readonly List<byte[]> _idle = [];
    private long _idleBytes;

    private int _outstanding;

    /// <summary>Arrays handed out again instead of allocated (for tests and benchmarks).</summary>
    public int Reused { get; private set; }

    /// <summary>Bytes of arrays kept unused, waiting to be handed out again (for tests).</summary>
    public long IdleBytes
    {
        get
        {
            lock (_lock) return _idleBytes;
        }
    }

    /// <summary>The most pooled-size arrays out at once, not yet returned (for tests and benchmarks).</summary>
    public int PeakOutstanding { get; private set; }

    /// <summary>
    /// An array of at least <paramref name="length"/> bytes, contents undefined. The smallest
    /// idle one that fits and is not more than half again as large; otherwise a new one with a
    /// little room, since a file's next version is often a little longer.
    /// </summary>
    public byte[] Rent(int length)
    {
        if (length < MinimumPooledLength) return GC.AllocateUninitializedArray<byte>(length);
        lock (_lock)
        {
            PeakOutstanding = Math.Max(PeakOutstanding, ++_outstanding);
            int best = -1;
            for (int i = 0; i < _idle.Count; i++)
            {
                int candidate = _idle[i].Length;
                if (candidate >= length && candidate - length <= length / 2 && (best < 0 || candidate < _idle[best].Length)) best = i;
            }
            if (best >= 0)
            {
                byte[] array = _idle[best];
                _idle[best] = _idle[^1];
                _idle.RemoveAt(_idle.Count - 1);
                _idleBytes -= array.Length;
                Reused++;
                return array;
            }
        }
        long roomy = Math.Min((long)length + length / 16, Array.MaxLength);
        return GC.AllocateUninitializedArray<byte>((int)roomy);
    }

    /// <summary>
    /// Lets the idle arrays go to the collector; arrays still out come back as ever. A walk
    /// calls it between delta trees: one file's versions are alike in size, the next file's
    /// seldom fit them.
    /// </summary>
    public void DropIdle()
    {
        lock (_lock)
        {
            _idle.Clear();
            _idleBytes = 0;
        }
    }

    /// <summary>Takes back an array nobody reads any more; the oldest idle ones go when over the bound.</summary>
    public void Return(byte[] array)
    {
        if (array.Length < MinimumPooledLength) return;
        lock (_lock)
        {
            _outstanding--;
            if (array.Length > maxIdleBytes) return;
            _idle.Add(array);
            _idleBytes += array.Length;
            while (_idleBytes > maxIdleBytes)
            {
                _idleBytes -= _idle[0].Length;
                _idle.RemoveAt(0);
            }
        }
    }
}
