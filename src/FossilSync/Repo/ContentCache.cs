namespace FossilSync.Repo;

/// <summary>
/// A bounded least-recently-used cache of expanded artifacts, keyed by rid. Delta chains share
/// their bases, so keeping recent expansions turns repeated chain walks into one delta apply.
/// </summary>
internal sealed class ContentCache(long capacityBytes)
{
    private readonly Dictionary<long, LinkedListNode<(long Rid, byte[] Content)>> _index = [];
    private readonly LinkedList<(long Rid, byte[] Content)> _order = new();
    private long _bytes;
    private int _maxEntries = int.MaxValue;

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

    public bool TryGet(long rid, out byte[] content)
    {
        if (_index.TryGetValue(rid, out var node))
        {
            _order.Remove(node);
            _order.AddFirst(node);
            content = node.Value.Content;
            return true;
        }
        content = [];
        return false;
    }

    public void Add(long rid, byte[] content)
    {
        if (content.Length > capacityBytes / 4 || _index.ContainsKey(rid)) return;
        _index[rid] = _order.AddFirst((rid, content));
        _bytes += content.Length;
        Trim();
    }

    private void Trim()
    {
        while ((_bytes > capacityBytes || _index.Count > _maxEntries) && _order.Last is { } oldest)
        {
            _order.RemoveLast();
            _index.Remove(oldest.Value.Rid);
            _bytes -= oldest.Value.Content.Length;
        }
    }

    public void Clear()
    {
        _index.Clear();
        _order.Clear();
        _bytes = 0;
    }
}
