namespace FossilSync.Repo.Crosslink;

/// <summary>
/// Re-derives every derived table from the blobs, as the derived-table part of
/// <c>fossil rebuild</c> does: drop and recreate them, refill <c>unclustered</c> and
/// <c>phantom</c>, crosslink every artifact, settle leaves and timestamps.
/// </summary>
internal static class RepositoryRebuilder
{
    /// <summary>Rebuilds inside one transaction; returns how many artifacts were linked.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="order">Crosslink order: null = by rid; a seeded <see cref="Random"/> shuffles (the result must not change).</param>
    /// <param name="cancellationToken">Cancels between artifacts (everything rolls back).</param>
    public static int Rebuild(Repository repository, Random? order = null, CancellationToken cancellationToken = default)
    {
        using var scope = repository.WriteScope();
        var derived = new List<string>();
        using (var cmd = repository.Command("""
            SELECT name FROM sqlite_schema WHERE type='table'
               AND name NOT IN ('blob','delta','rcvfrom','user','config','shun','private','reportfmt','concealed',
                                'admin_log','alias','accesslog','modreq','purgeevent','purgeitem','unversioned',
                                'subscriber','pending_alert','chat')
               AND name NOT GLOB 'sqlite_*' AND name NOT GLOB 'fx_*'
            """))
        using (var reader = cmd.ExecuteReader())
        {
            while (reader.Read()) derived.Add(reader.GetString(0));
        }
        foreach (string table in derived) repository.Execute($"DROP TABLE IF EXISTS \"{table}\"");
        repository.Execute(RepositorySchema.DerivedTables);
        repository.Execute(RepositorySchema.SeedTags);
        repository.Execute("INSERT INTO unclustered SELECT rid FROM blob EXCEPT SELECT rid FROM private");
        repository.Execute("DELETE FROM unclustered WHERE rid IN (SELECT rid FROM shun JOIN blob USING(uuid))");
        repository.Execute("INSERT OR IGNORE INTO phantom SELECT rid FROM blob WHERE size<0");

        var linker = new Crosslinker(repository);
        if (order is null)
        {
            // Like stock: walk the delta tree so each artifact is expanded once, from its source.
            foreach (var (rid, content) in DeltaTreeWalk.Expand(repository, cancellationToken)) linker.Link(rid, content);
        }
        else
        {
            var rids = new List<long>();
            using (var cmd = repository.Command("SELECT rid FROM blob WHERE size>=0 AND NOT EXISTS(SELECT 1 FROM shun WHERE uuid=blob.uuid)"))
            using (var reader = cmd.ExecuteReader())
            {
                while (reader.Read()) rids.Add(reader.GetInt64(0));
            }
            order.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rids));
            foreach (long rid in rids)
            {
                cancellationToken.ThrowIfCancellationRequested();
                linker.Link(rid);
            }
        }
        linker.Finish();
        scope.Complete();
        return linker.Linked;
    }
}
