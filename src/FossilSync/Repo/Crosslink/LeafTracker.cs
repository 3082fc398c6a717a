namespace FossilSync.Repo.Crosslink;

/// <summary>
/// The <c>leaf</c> table, maintained as fossil does: check-ins whose branch membership changed
/// (and their parents) are remembered and re-judged once, when the session ends. A check-in is
/// a leaf when no child carries the same <c>branch</c> value (<c>trunk</c> when untagged).
/// </summary>
internal sealed class LeafTracker(DerivedDb db)
{
    private readonly HashSet<long> _pending = [];

    /// <summary>Re-judge <paramref name="rid"/> and its parents at the end of the session.</summary>
    public void CheckEventually(long rid)
    {
        _pending.Add(rid);
        foreach (long parent in db.Rids("SELECT pid FROM plink WHERE cid=$1 AND pid>0", rid)) _pending.Add(parent);
    }

    public void CheckPending()
    {
        foreach (long rid in _pending)
        {
            bool hasSameBranchChild = db.Exists(
                "SELECT 1 FROM plink WHERE pid=$1"
                + " AND coalesce((SELECT value FROM tagxref WHERE tagid=8 AND rid=$1),'trunk')"
                + " == coalesce((SELECT value FROM tagxref WHERE tagid=8 AND rid=plink.cid),'trunk')", rid);
            db.Execute(hasSameBranchChild ? "DELETE FROM leaf WHERE rid=$1" : "INSERT OR IGNORE INTO leaf VALUES($1)", rid);
        }
        _pending.Clear();
    }
}
