namespace FossilSync.Repo;

/// <summary>
/// A least-recently-used map of byte arrays bounded by their total length (and optionally by
/// a count). Not thread-safe: <see cref="ContentCache"/> locks around it, and a repository's
/// own cache of expansions is used by one connection only.
/// </summary>
/// <remarks>
/// An array over a quarter of the capacity is not kept: it would push out many smaller ones
/// that delta chains reuse more often.
/// </remarks>
internal sealed class ByteBoundedLru<TKey>(long capacityBytes) where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, byte[] Content)>> _index = [];
    private readonly LinkedList<(TKey Key, byte[] Content)> _order = new();
    private int _maxEntries = int.MaxValue;
    private long _capacityBytes = capacityBytes;

    /// <summary>At most this many bytes are kept; lowering it drops the least recently used.</summary>
    public long CapacityBytes
    {
        get => _capacityBytes;
        set
        {
            _capacityBytes = Math.Max(0, value);
            Trim();
        }
    }

    /// <summary>Total length of the arrays kept.</summary>
    public long Bytes { get; private set; }

    public int Count => _index.Count;

    /// <summary>At most this many entries are kept (as well as at most the capacity in bytes).</summary>
    public int MaxEntries
    {
        get => _maxEntries;
        set
        {
            _maxEntries = Math.Max(1, value);
            Trim();
        }
    }

    public bool TryGet(TKey key, out byte[] content)
    {
        if (_index.TryGetValue(key, out var node))
        {
            _order.Remove(node);
            _order.AddFirst(node);
            content = node.Value.Content;
            return true;
        }
        content = [];
        return false;
    }

    /// <summary>Whether <see cref="Add"/> would keep content of <paramref name="length"/> bytes under <paramref name="key"/>: nothing over a quarter of the bound, nothing twice.</summary>
    public bool Accepts(TKey key, long length) => length <= _capacityBytes / 4 && !_index.ContainsKey(key);

    public void Add(TKey key, byte[] content)
    {
        if (!Accepts(key, content.Length)) return;
        _index[key] = _order.AddFirst((key, content));
        Bytes += content.Length;
        Trim();
    }

    public void Remove(TKey key)
    {
        if (!_index.Remove(key, out var node)) return;
        _order.Remove(node);
        Bytes -= node.Value.Content.Length;
    }

    private void Trim()
    {
        while ((Bytes > _capacityBytes || _index.Count > _maxEntries) && _order.Last is { } oldest)
        {
            _order.RemoveLast();
            _index.Remove(oldest.Value.Key);
            Bytes -= oldest.Value.Content.Length;
        }
    }

    public void Clear()
    {
        _index.Clear();
        _order.Clear();
        Bytes = 0;
    }
}
