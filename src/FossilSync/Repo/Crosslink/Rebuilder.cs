using FossilSync.Primitives;

namespace FossilSync.Repo.Crosslink;

/// <summary>
/// The derived-table part of <c>fossil rebuild</c>: drops every table that is not content,
/// re-creates the derived schema, and crosslinks every artifact in the order stock visits them
/// (each full-text artifact in rid order followed depth-first by the artifacts stored as deltas
/// of it; then whatever is left), so that the results match stock row for row.
/// </summary>
/// <remarks>
/// Storage-only side effects of stock's rebuild are not repeated: re-deltifying parents against
/// children, purging shunned blobs, and fixing wrong <c>blob.size</c> values (shunned artifacts
/// are simply left out). Old repositories without any <c>sym-trunk</c> tag get no synthesized
/// trunk tag artifact.
/// </remarks>
internal static class Rebuilder
{
    // Tables holding content, configuration or history that a rebuild must never drop.
    private static readonly string[] KeptTables =
    [
        "admin_log", "blob", "delta", "rcvfrom", "user", "alias", "config", "shun", "private", "reportfmt",
        "concealed", "accesslog", "modreq", "purgeevent", "purgeitem", "unversioned", "subscriber",
        "pending_alert", "chat",
    ];

    /// <summary>Rebuilds all derived tables; returns how many artifacts were crosslinked.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="verify">Also check that every artifact hashes to its name (a clone's final pass); a mismatch throws and nothing is kept.</param>
    /// <param name="cancellationToken">Stops the rebuild; nothing is kept.</param>
    /// <param name="knownNames">Every blob row's name to its rid, when the caller has that table already (a clone); taken over.</param>
    /// <param name="pool">Where the walk's expansions get their arrays (null: a pool of its own; tests pass one to watch it).</param>
    /// <exception cref="CorruptContentException">With <paramref name="verify"/>: some artifact does not hash to its name.</exception>
    public static int Run(Repository repository, bool verify = false, CancellationToken cancellationToken = default, Dictionary<NameKey, long>? knownNames = null,
        ExpansionPool? pool = null)
    {
        pool ??= new ExpansionPool(ExpansionPool.IdleBytesBeside(HashChecker.DefaultLargestRoom));
        using var scope = repository.WriteScope();
        using var pages = BulkPageCache.ScaledTo(repository);
        // The walk below hands each content to its delta children; the cache only has to keep
        // a manifest read as its child's parent until the walk reaches it.
        using var fewExpansions = repository.Content.KeepFewExpansions(4);
        repository.Execute("SAVEPOINT optimistic_rebuild");
        int linked;
        if (RunOnce(repository, verify, deferZCards: true, knownNames, pool, cancellationToken) is int optimistic)
        {
            linked = optimistic;
        }
        else
        {
            // Something parsed as an artifact carries a Z card that does not match: stock
            // treats it as plain content. Start again, checking each Z card before parsing on
            // (with names read afresh: the first pass added phantoms that are rolled back).
            repository.Execute("ROLLBACK TO optimistic_rebuild");
            linked = RunOnce(repository, verify, deferZCards: false, knownNames: null, pool, cancellationToken)!.Value;
        }
        repository.Execute("RELEASE optimistic_rebuild");
        repository.Execute($"""
            CREATE TEMP TABLE private_ckin(rid INTEGER PRIMARY KEY);
            INSERT INTO private_ckin SELECT rid FROM tagxref WHERE tagid={TagIds.Private} AND tagtype>0;
            INSERT OR IGNORE INTO private SELECT fid FROM mlink EXCEPT SELECT fid FROM mlink WHERE mid NOT IN private_ckin;
            INSERT OR IGNORE INTO private SELECT rid FROM private_ckin;
            DROP TABLE private_ckin;
            """);
        long now = repository.UnixNow();
        repository.Execute("REPLACE INTO config(name,value,mtime) VALUES('content-schema',$c,$m),('aux-schema',$a,$m)",
            ("$c", RepositorySchema.ContentSchema), ("$a", RepositorySchema.AuxSchema), ("$m", now));
        scope.Complete();
        return linked;
    }

    /// <summary>
    /// One pass: re-creates the derived tables and crosslinks everything. With
    /// <paramref name="deferZCards"/> the Z-card MD5s are checked on another core while the
    /// pass goes on; null then means one failed and the pass must be undone and run strictly.
    /// </summary>
    private static int? RunOnce(Repository repository, bool verify, bool deferZCards, Dictionary<NameKey, long>? knownNames, ExpansionPool pool,
        CancellationToken cancellationToken)
    {
        using var checker = verify || deferZCards ? new HashChecker() : null;
        var nameChecker = verify ? checker : null;
        // Every artifact the pass expands is hashed when verifying: checksums add nothing then.
        using var checksums = verify ? repository.Content.SkipDeltaChecksums() : null;
        RecreateSchema(repository);
        using var session = new Crosslinker(repository) { DeferredZCards = deferZCards ? checker : null };
        session.LoadAllNames(knownNames);
        var done = new RidSet();
        var db = new DerivedDb(repository);
        var deltaChildren = DeltaTree.Read(repository);
        var roots = db.Rids("SELECT rid FROM blob WHERE NOT EXISTS(SELECT 1 FROM shun WHERE uuid=blob.uuid)"
            + " AND NOT EXISTS(SELECT 1 FROM delta WHERE rid=blob.rid) AND size>=0 ORDER BY rid");
        var walk = new Walk(repository, db, session, deltaChildren, FewestHeldOrder.For(deltaChildren, roots), done, nameChecker, pool);
        foreach (long rid in roots)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Step(walk, rid);
        }
        foreach (var row in db.Rows("SELECT rid, size FROM blob WHERE NOT EXISTS(SELECT 1 FROM shun WHERE uuid=blob.uuid) ORDER BY rid"))
        {
            cancellationToken.ThrowIfCancellationRequested();
            long rid = (long)row[0]!;
            if ((long)row[1]! >= 0)
            {
                if (!done.Contains(rid)) Step(walk, rid);
            }
            else
            {
                db.Execute("INSERT OR IGNORE INTO phantom VALUES($1)", rid);
                done.Add(rid);
            }
        }
        if (checker?.Complete() is { Count: > 0 } mismatches)
        {
            throw new CorruptContentException($"{mismatches.Count} artifacts do not hash to their names, e.g. {mismatches[0]}.");
        }
        if (checker?.ZCardFailed == true) return null;
        session.Finish();
        return session.Linked;
    }

    private static void RecreateSchema(Repository repository)
    {
        var db = new DerivedDb(repository);
        var drops = db.Rows("SELECT name FROM sqlite_schema WHERE type='table' AND name NOT GLOB 'sqlite_*' AND name NOT GLOB 'fx_*'")
            .Select(r => (string)r[0]!)
            .Where(n => !KeptTables.Contains(n, StringComparer.OrdinalIgnoreCase))
            .Select(n => $"DROP TABLE IF EXISTS \"{n.Replace("\"", "\"\"", StringComparison.Ordinal)}\";");
        db.Script(string.Join('\n', drops));
        db.Script(RepositorySchema.DerivedTables + RepositorySchema.PredefinedTags);
        if (repository.GetConfig("ticket-table") is { Length: > 0 } customTickets)
        {
            db.Script("DROP TABLE IF EXISTS ticket; DROP TABLE IF EXISTS ticketchng;\n" + customTickets);
        }
        db.Script("""
            INSERT INTO unclustered SELECT rid FROM blob EXCEPT SELECT rid FROM private;
            DELETE FROM unclustered WHERE rid IN (SELECT rid FROM shun JOIN blob USING(uuid));
            DELETE FROM config WHERE name IN ('remote-code', 'remote-maxid');
            UPDATE user SET mtime=strftime('%s','now') WHERE mtime IS NULL;
            """);
    }

    /// <summary>
    /// Crosslinks <paramref name="rid"/>, then depth-first the artifacts stored as deltas of it,
    /// each expanded from its parent's content in hand (as stock's rebuild_step does), so every
    /// artifact costs one delta apply however long its chain. With the walk's hash checker
    /// each expansion is also checked against its name. Manifests along the path are pinned
    /// (<see cref="PinLadder"/>), so reading one off the path walks a short way.
    /// Each expansion is held by the walk while it is at hand, by the checker until hashed, and
    /// by each child waiting on the stack until expanded from it; its array goes back to the
    /// walk's pool after the last of them, so a chain of large versions reuses a few arrays
    /// instead of allocating one per version. Children are walked in stock's order, except below
    /// plain content, where the one whose subtree holds the most goes last.
    /// </summary>
    private static void Step(Walk walk, long rid)
    {
        var (repository, db, session, deltaChildren, order, done, checker, pool) = walk;
        // An exception leaves holds unreleased: their arrays go to the collector, never reused.
        var stack = new Stack<(long Rid, SharedExpansion? Source, int Depth)>();
        var pins = new PinLadder(repository.Content);
        stack.Push((rid, null, 0));
        try
        {
            while (stack.TryPop(out var item))
            {
                pins.LeaveFrom(item.Depth);
                long current = item.Rid;
                var pending = NotDone(deltaChildren.ChildrenOf(current), done);
                var children = pending.Count < 2 ? pending : InsertionBag.Order(pending);
                string? hash = null;
                SharedExpansion? content;
                if (item.Source is null)
                {
                    content = repository.Content.Get(current) is { } full ? SharedExpansion.Unpooled(full) : null;
                }
                else
                {
                    content = repository.Content.ExpandDelta(current, item.Source, pool, out hash);
                    item.Source.Release();
                }
                if (content is not null)
                {
                    if (checker is not null && (hash ?? db.Scalar<string>("SELECT uuid FROM blob WHERE rid=$1", current)) is { } name) checker.Add(name, content);
                    // A structural artifact may be read again, as its children's parent.
                    if (session.Link(current, content, out bool isControlArtifact) && hash is not null) repository.Content.Keep(current, hash, content.Detach());
                    // Below plain content (a file's versions) stock's order decides nothing: the
                    // neediest child goes last, so a file of megabytes with many branch points
                    // holds two or three versions at once instead of one per branch point.
                    if (!isControlArtifact) children = order.NeediestLast(children);
                    else if (children.Count > 0 && PinLadder.Wants(item.Depth)) pins.Add(current, item.Depth, content.Detach());
                    for (int i = 0; i < children.Count; i++) content.Hold();
                    content.Release();
                }
                done.Add(current);
                for (int i = children.Count - 1; i >= 0; i--) stack.Push((children[i], content, item.Depth + 1));
            }
        }
        finally
        {
            pins.Clear();
            // The next tree's versions seldom fit this one's arrays.
            pool.DropIdle();
        }
    }

    /// <summary>What every step of one rebuild pass's walk works with.</summary>
    private sealed record Walk(Repository Repository, DerivedDb Db, Crosslinker Session, DeltaTree DeltaChildren,
        FewestHeldOrder Order, RidSet Done, HashChecker? Checker, ExpansionPool Pool);

    private static List<long> NotDone(ReadOnlySpan<long> rids, RidSet done)
    {
        var result = new List<long>(rids.Length);
        foreach (long rid in rids)
        {
            if (!done.Contains(rid)) result.Add(rid);
        }
        return result;
    }
}
