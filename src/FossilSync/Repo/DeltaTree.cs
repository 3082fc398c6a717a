namespace FossilSync.Repo;

/// <summary>
/// Every delta edge of a repository, read once, as two arrays sorted by source then rid: a
/// rebuild or a verification walks down from each full text, asking each artifact for the
/// artifacts stored as deltas of it. (A dictionary of lists held a hundred thousand small
/// lists for the length of a large rebuild; this is 16 bytes an edge.)
/// </summary>
internal sealed class DeltaTree
{
    private readonly long[] _sources;
    private readonly long[] _rids;

    private DeltaTree(long[] sources, long[] rids) => (_sources, _rids) = (sources, rids);

    public static DeltaTree Read(Repository repository)
    {
        var sources = new List<long>();
        var rids = new List<long>();
        using (var reader = repository.Query("SELECT srcid, rid FROM delta ORDER BY srcid, rid"))
        {
            while (reader.Read())
            {
                sources.Add(reader.GetInt64(0));
                rids.Add(reader.GetInt64(1));
            }
        }
        return new DeltaTree([.. sources], [.. rids]);
    }

    /// <summary>The artifacts stored as deltas of <paramref name="source"/>, in rid order.</summary>
    public ReadOnlySpan<long> ChildrenOf(long source)
    {
        int first = LowerBound(source);
        int end = first;
        while (end < _sources.Length && _sources[end] == source) end++;
        return _rids.AsSpan(first, end - first);
    }

    private int LowerBound(long source)
    {
        int low = 0, high = _sources.Length;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (_sources[mid] < source) low = mid + 1;
            else high = mid;
        }
        return low;
    }
}
