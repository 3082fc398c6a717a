namespace FossilSync.Repo;

/// <summary>
/// Removes phantoms a failed sync made for names it was only promised: those still missing and
/// not needed by anything stored (a phantom a stored delta or a crosslinked artifact refers to
/// stays, as that artifact would have made it anyway).
/// </summary>
internal static class PhantomCleanup
{
    /// <summary>Removes those of <paramref name="rids"/> that are still phantoms and unreferenced, in a transaction of its own; returns how many.</summary>
    public static int RemoveUnreferenced(Repository repository, IEnumerable<long> rids)
    {
        using var transaction = repository.BeginTransaction();
        repository.Execute("CREATE TEMP TABLE IF NOT EXISTS forget_phantom(rid INTEGER PRIMARY KEY)");
        repository.Execute("DELETE FROM forget_phantom");
        foreach (long rid in rids) repository.Execute("INSERT OR IGNORE INTO forget_phantom(rid) VALUES($r)", ("$r", rid));
        repository.Execute("""
            DELETE FROM forget_phantom WHERE rid NOT IN phantom
              OR rid IN (SELECT srcid FROM delta)
              OR rid IN (SELECT fid FROM mlink) OR rid IN (SELECT pid FROM mlink)
              OR rid IN (SELECT mid FROM mlink) OR rid IN (SELECT pmid FROM mlink)
              OR rid IN (SELECT pid FROM plink) OR rid IN (SELECT cid FROM plink) OR rid IN (SELECT baseid FROM plink)
              OR rid IN (SELECT rid FROM tagxref) OR rid IN (SELECT srcid FROM tagxref) OR rid IN (SELECT origid FROM tagxref)
              OR rid IN (SELECT objid FROM event) OR rid IN (SELECT baseline FROM orphan) OR rid IN leaf
            """);
        int forgotten = 0;
        foreach (string table in (ReadOnlySpan<string>)["phantom", "unclustered", "private", "blob"])
        {
            int removed = repository.Execute($"DELETE FROM {table} WHERE rid IN forget_phantom");
            if (table == "blob") forgotten = removed;
        }
        repository.Execute("DELETE FROM forget_phantom");
        transaction.Commit();
        return forgotten;
    }
}
