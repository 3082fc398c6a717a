namespace FossilSync.Repo;

/// <summary>
/// A set of rids as one bit each. Rids are small dense integers and a rebuild marks every one
/// of them: 120,000 artifacts take 15 KB instead of a hash set's few MB. A rid beyond the first
/// 64 million (only a hand-edited repository has one) goes to an ordinary set, so no repository
/// can make the bitmap large.
/// </summary>
internal sealed class RidSet
{
    private const long MaxBitmapWords = 1 << 20;

    private ulong[] _bits = new ulong[64];
    private HashSet<long>? _sparse;

    public bool Contains(long rid)
    {
        if (rid < 0) return false;
        long word = rid >> 6;
        if (word < _bits.Length) return (_bits[word] & (1UL << (int)(rid & 63))) != 0;
        return _sparse?.Contains(rid) == true;
    }

    public void Add(long rid)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rid);
        long word = rid >> 6;
        if (word >= MaxBitmapWords)
        {
            (_sparse ??= []).Add(rid);
            return;
        }
        if (word >= _bits.Length) Array.Resize(ref _bits, (int)Math.Min(MaxBitmapWords, Math.Max(word + 1, _bits.Length * 2L)));
        _bits[word] |= 1UL << (int)(rid & 63);
    }
}
