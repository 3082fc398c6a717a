namespace FossilSync.Repo.Crosslink;

/// <summary>
/// <c>tag</c> and <c>tagxref</c> as fossil 2.21 maintains them: one row per (artifact, tag),
/// where an older setting never overrides a newer one; propagating tags flow down primary
/// parent links until a check-in tagged directly (or more recently) stops them; special tags
/// edit the <c>event</c> row they belong to.
/// </summary>
internal sealed class TagWriter(DerivedDb db, LeafTracker leaves, Backlinks backlinks)
{
    /// <summary>Called when a <c>parent</c> tag is set on a check-in (the rid and the new parent list).</summary>
    public Action<long, string>? Reparent { get; set; }

    /// <summary>Called when a <c>private</c> tag makes an artifact private, for callers that cache that.</summary>
    public Action<long>? MadePrivate { get; set; }

    /// <summary>The id of tag <paramref name="name"/>, created when <paramref name="create"/> is set; 0 when unknown.</summary>
    public long FindId(string name, bool create)
    {
        long id = db.Scalar<long>("SELECT tagid FROM tag WHERE tagname=$1", name);
        if (id == 0 && create) id = db.Scalar<long>("INSERT INTO tag(tagname) VALUES($1) RETURNING tagid", name);
        return id;
    }

    /// <summary>
    /// Applies one tag setting: <paramref name="tagType"/> 0 cancel, 1 single, 2 propagating;
    /// <paramref name="sourceRid"/> is the artifact carrying it, <paramref name="targetRid"/> what it tags.
    /// </summary>
    public long Insert(string name, int tagType, string? value, long sourceRid, double mtime, long targetRid)
    {
        // An artifact without a date (a cluster) is tagged "now", as stock does; the clock is
        // the repository's, so simulated runs stay deterministic.
        if (mtime <= 0) mtime = db.Repository.JulianNow();
        long tagId = FindId(name, create: true);
        if (OrderIndependent)
        {
            // Applied in time order, a tag set on a check-in itself always stops a tag
            // propagated from above, whatever their dates. When the propagated one got here
            // first, take it back out of this subtree before applying the direct one.
            var existing = db.Rows("SELECT srcid, origid FROM tagxref WHERE tagid=$1 AND rid=$2", tagId, targetRid);
            if (existing.Count == 1 && Convert.ToInt64(existing[0][0], System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                Unpropagate(targetRid, tagId, Convert.ToInt64(existing[0][1], System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        if (db.Exists("SELECT 1 FROM tagxref WHERE tagid=$1 AND rid=$2 AND mtime>=$3", tagId, targetRid, mtime)) return tagId;
        db.Execute("REPLACE INTO tagxref(tagid,tagtype,srcId,origid,value,mtime,rid) VALUES($1,$2,$3,$4,$5,$6,$4)",
            tagId, tagType, sourceRid, targetRid, value, mtime);
        if (tagId == TagIds.Branch) leaves.CheckEventually(targetRid);
        string? effective = tagType == 0 ? null : value;
        string? column = tagId switch
        {
            TagIds.BgColor => "bgcolor",
            TagIds.Comment => "ecomment",
            TagIds.User => "euser",
            _ => null,
        };
        if (tagId == TagIds.Private)
        {
            db.Execute("INSERT OR IGNORE INTO private(rid) VALUES($1)", targetRid);
            MadePrivate?.Invoke(targetRid);
        }
        if (column is not null)
        {
            db.Execute($"UPDATE event SET \"{column}\"=$1 WHERE objid=$2", effective, targetRid);
            if (tagId == TagIds.Comment) backlinks.FromComment(effective, targetRid, mtime);
        }
        if (tagId == TagIds.Date)
        {
            db.Execute("UPDATE event SET mtime=julianday($1), omtime=coalesce(omtime,mtime) WHERE objid=$2", effective, targetRid);
        }
        if (tagId == TagIds.Parent && tagType == 1 && effective is not null) Reparent?.Invoke(targetRid, effective);
        Propagate(targetRid, tagId, tagType == 2 ? 2 : 0, targetRid, effective, mtime);
        return tagId;
    }

    /// <summary>
    /// When set, a tag carried by a check-in's own artifact wins over one propagated from an
    /// ancestor regardless of arrival order (see <see cref="Crosslinker.Incremental"/>).
    /// </summary>
    public bool OrderIndependent { get; init; }

    /// <summary>Removes the tag propagated from <paramref name="originRid"/> from <paramref name="rid"/> and the primary descendants it reached through it.</summary>
    private void Unpropagate(long rid, long tagId, long originRid)
    {
        var queue = new Queue<long>();
        queue.Enqueue(rid);
        while (queue.TryDequeue(out long current))
        {
            if (db.Execute("DELETE FROM tagxref WHERE tagid=$1 AND rid=$2 AND srcid=0 AND origid=$3", tagId, current, originRid) == 0) continue;
            if (tagId == TagIds.BgColor) db.Execute("UPDATE event SET bgcolor=NULL WHERE objid=$1", current);
            if (tagId == TagIds.Branch) leaves.CheckEventually(current);
            foreach (long child in db.Rids("SELECT cid FROM plink WHERE pid=$1 AND isprim", current)) queue.Enqueue(child);
        }
    }

    /// <summary>Pushes every tag of <paramref name="rid"/> down to its descendants (single tags block).</summary>
    public void PropagateAll(long rid)
    {
        foreach (var row in db.Rows("SELECT tagid, tagtype, mtime, value, origid FROM tagxref WHERE rid=$1", rid))
        {
            int tagType = Convert.ToInt32(row[1], System.Globalization.CultureInfo.InvariantCulture);
            Propagate(rid, (long)row[0]!, tagType == 2 ? 2 : 0, Convert.ToInt64(row[4] ?? 0L, System.Globalization.CultureInfo.InvariantCulture),
                row[3] as string, Convert.ToDouble(row[2], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// Walks primary children of <paramref name="rid"/>: with <paramref name="tagType"/> 2 sets the
    /// propagated tag, with 0 removes a propagated one; a child tagged directly, or by a newer
    /// propagation, stops the walk.
    /// </summary>
    private void Propagate(long rid, long tagId, int tagType, long originRid, string? value, double mtime)
    {
        if (tagType == 0) value = null;
        var queue = new Queue<long>();
        queue.Enqueue(rid);
        while (queue.TryDequeue(out long parent))
        {
            var children = db.Rows(
                "SELECT cid, coalesce(srcid=0 AND tagxref.mtime<$1, $2) FROM plink LEFT JOIN tagxref ON cid=rid AND tagid=$3"
                + " WHERE pid=$4 AND isprim", mtime, tagType == 2 ? 1 : 0, tagId, parent);
            foreach (var child in children)
            {
                if (Convert.ToInt64(child[1], System.Globalization.CultureInfo.InvariantCulture) == 0) continue;
                long cid = (long)child[0]!;
                queue.Enqueue(cid);
                if (tagType == 2)
                {
                    db.Execute("REPLACE INTO tagxref(tagid, tagtype, srcid, origid, value, mtime, rid) VALUES($1,2,0,$2,$3,$4,$5)",
                        tagId, originRid, value, mtime, cid);
                }
                else
                {
                    db.Execute("DELETE FROM tagxref WHERE tagid=$1 AND rid=$2", tagId, cid);
                }
                if (tagId == TagIds.BgColor) db.Execute("UPDATE event SET bgcolor=$1 WHERE objid=$2", value, cid);
                if (tagId == TagIds.Branch) leaves.CheckEventually(cid);
            }
        }
    }
}
