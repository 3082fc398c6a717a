namespace FossilSync.Repo.Tables;

/// <summary>
/// One version of a row as catalogues list it: the key's hash, when it was written and the hash
/// of what was written (a deletion has its own). Versions are totally ordered, later mtime first
/// and the larger version hash on a tie, so "keep the greater" gives every peer the same row
/// whatever order versions arrive in.
/// </summary>
internal readonly record struct RowVersion(string PkHash, long MTime, string VHash) : IComparable<RowVersion>
{
    public int CompareTo(RowVersion other)
    {
        int byTime = MTime.CompareTo(other.MTime);
        return byTime != 0 ? byTime : string.CompareOrdinal(VHash, other.VHash);
    }

    public bool IsNewerThan(RowVersion? other) => other is null || CompareTo(other.Value) > 0;
}
