namespace FossilSync.Repo.Crosslink;

/// <summary>Entry points: link newly stored artifacts, or rebuild everything.</summary>
internal static class Crosslinking
{
    /// <summary>
    /// Crosslinks artifacts just stored (or phantoms just filled), in any order and batch size:
    /// what cannot be linked yet (a missing parent's file comparisons, a delta manifest's
    /// missing baseline, a delta's missing source) is completed when the missing piece arrives
    /// in a later call. Returns how many artifacts were linked.
    /// </summary>
    public static int LinkNew(Repository repository, IEnumerable<long> rids)
    {
        using var scope = repository.WriteScope();
        int linked;
        using (var session = new Crosslinker(repository, incremental: true))
        {
            foreach (long rid in rids.Distinct().Order()) session.LinkArrived(rid);
            session.Finish();
            linked = session.Linked;
        }
        scope.Complete();
        return linked;
    }
}
