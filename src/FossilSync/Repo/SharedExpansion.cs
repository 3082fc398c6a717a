namespace FossilSync.Repo;

/// <summary>
/// An artifact's expanded content while a walk down its delta tree hands it around: to the
/// hash checker (another thread), to the crosslinker, and to each child as its delta source.
/// Each of them holds it; the last release gives a pooled array back to its
/// <see cref="ExpansionPool"/>, so the array is written again only when nobody reads it.
/// </summary>
/// <remarks>
/// Content that may be referenced elsewhere (a cached expansion, a full text read through
/// <see cref="ContentStore.Get"/>) is wrapped without a pool and is never handed out again.
/// Whoever keeps the bytes beyond its hold (the content cache, a pin) takes them with
/// <see cref="Detach"/>.
/// </remarks>
internal sealed class SharedExpansion
{
    private readonly ExpansionPool? _pool;
    private readonly byte[] _array;
    private int _holders = 1;
    private volatile bool _detached;

    private SharedExpansion(byte[] array, int length, ExpansionPool? pool)
    {
        _array = array;
        Length = length;
        _pool = pool;
    }

    /// <summary>Content nobody else references: its array goes to <paramref name="pool"/> after the last release.</summary>
    public static SharedExpansion Pooled(byte[] array, int length, ExpansionPool pool) => new(array, length, pool);

    /// <summary>
    /// <paramref name="delta"/> applied to <paramref name="source"/> into an array from
    /// <paramref name="pool"/>; <paramref name="length"/> is the target's, already checked as
    /// safe to allocate. On a bad delta the array is simply dropped: nobody else has it.
    /// </summary>
    /// <exception cref="Primitives.CorruptContentException">The delta is malformed, does not fit the source, or fails its checksum.</exception>
    public static SharedExpansion Apply(SharedExpansion source, byte[] delta, int length, ExpansionPool pool, bool verifyChecksum)
    {
        byte[] array = pool.Rent(length);
        Primitives.FossilDelta.Apply(source.Span, delta, array.AsSpan(0, length), verifyChecksum);
        return Pooled(array, length, pool);
    }

    /// <summary>Content that may be referenced elsewhere: never reused.</summary>
    public static SharedExpansion Unpooled(byte[] content) => new(content, content.Length, null);

    /// <summary>The content's length (the array may be longer).</summary>
    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => _array.AsMemory(0, Length);

    public ReadOnlySpan<byte> Span => _array.AsSpan(0, Length);

    /// <summary>One more reader; the creator holds it from the start.</summary>
    public void Hold()
    {
        if (Interlocked.Increment(ref _holders) <= 1) throw new InvalidOperationException("an expansion was held after its last release.");
    }

    /// <summary>One reader is done; after the last, a pooled array may be written again.</summary>
    public void Release()
    {
        int left = Interlocked.Decrement(ref _holders);
        if (left < 0) throw new InvalidOperationException("an expansion was released more often than held.");
        if (left == 0 && _pool is not null && !_detached) _pool.Return(_array);
    }

    /// <summary>
    /// The content as an array of its exact length, for a keeper outside the holds (the cache,
    /// a pin): the array itself when it fits, which then never goes back to the pool; else a copy.
    /// </summary>
    public byte[] Detach()
    {
        if (_array.Length != Length) return Span.ToArray();
        _detached = true;
        return _array;
    }
}
