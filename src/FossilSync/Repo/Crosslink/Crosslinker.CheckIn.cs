using FossilSync.Primitives;
using FossilSync.Repo.Artifacts;

namespace FossilSync.Repo.Crosslink;

/// <summary>Check-ins: <c>plink</c>, <c>cherrypick</c>, the <c>ci</c> event and the comment's backlinks.</summary>
internal sealed partial class Crosslinker
{
    private bool? _hasCherrypickTable;

    /// <summary>Links a check-in; returns the rid of its primary parent (0 when it has none or was linked before).</summary>
    private long LinkCheckIn(LinkedArtifact manifest)
    {
        long rid = manifest.Rid;
        var p = manifest.Artifact;
        _hasCherrypickTable ??= _db.Exists("SELECT 1 FROM sqlite_schema WHERE type='table' AND name='cherrypick'");
        if (p.CherryPicks.Count > 0 && _hasCherrypickTable == true)
        {
            foreach (var pick in p.CherryPicks)
            {
                // Stock records only targets it already has; linking incrementally, a target
                // that has not arrived yet becomes a phantom so the row does not depend on order.
                if (Incremental) RidOf(pick.TargetHash, create: true);
                _db.Execute("REPLACE INTO cherrypick(parentid,childid,isExclude) SELECT rid, $1, $2 FROM blob WHERE uuid=$3",
                    rid, pick.IsBackout ? 1 : 0, pick.TargetHash);
            }
        }
        if (_db.Exists("SELECT 1 FROM mlink WHERE mid=$1", rid)) return 0;
        long parentRid = AddCheckInLinkages(manifest, p.Parents);
        string? comment = _db.Scalar<string>(
            "REPLACE INTO event(type,mtime,objid,user,comment,bgcolor,euser,ecomment,omtime) VALUES('ci',"
            + " coalesce((SELECT julianday(value) FROM tagxref WHERE tagid=4 AND rid=$1), $2),"
            + " $1, $3, $4,"
            + " (SELECT value FROM tagxref WHERE tagid=1 AND rid=$1 AND tagtype>0),"
            + " (SELECT value FROM tagxref WHERE tagid=3 AND rid=$1),"
            + " (SELECT value FROM tagxref WHERE tagid=2 AND rid=$1), $2)"
            + " RETURNING coalesce(ecomment,comment)",
            rid, _parsing.Dates.ThroughSqlText(p.Date), p.User, p.Comment);
        _backlinks.FromComment(comment, rid, p.Date);
        if (p.Baseline is not null && !_seenDeltaManifest)
        {
            // Tells stock's commit that delta manifests are welcome in this repository.
            _seenDeltaManifest = true;
            _db.Execute("REPLACE INTO config(name,value,mtime) VALUES('seen-delta-manifest',1,$1)", _repository.UnixNow());
        }
        return parentRid;
    }

    /// <summary>
    /// <c>plink</c> rows to each parent, then <c>mlink</c> rows against the parents and for
    /// children already known. Returns the primary parent's rid.
    /// </summary>
    private long AddCheckInLinkages(LinkedArtifact manifest, IReadOnlyList<string> parents)
    {
        long rid = manifest.Rid;
        var p = manifest.Artifact;
        object? baseId = p.Baseline is null ? null : RidOf(p.Baseline, create: true);
        long primary = 0;
        for (int i = 0; i < parents.Count; i++)
        {
            long pid = RidOf(parents[i], create: true);
            _db.Execute("INSERT OR IGNORE INTO plink(pid, cid, isprim, mtime, baseid) VALUES($1,$2,$3,$4,$5)",
                pid, rid, i == 0 ? 1 : 0, _parsing.Dates.ThroughSqlText(p.Date), baseId);
            if (i == 0) primary = pid;
        }
        LinkFilesAgainstParents(manifest, primary, parents.Count);
        foreach (var row in _db.Rows("SELECT cid, isprim FROM plink WHERE pid=$1", rid))
        {
            long cid = (long)row[0]!;
            if (cid == rid || _db.Exists("SELECT 1 FROM mlink WHERE mid=$1 AND pmid=$2", cid, rid)) continue;
            // The child was linked before this parent could be read: redo its file links
            // from scratch so they come out as if both had been present all along.
            var child = LoadManifest(cid);
            if (child is null || child.Artifact.Type != ArtifactType.CheckIn) continue;
            long childPrimary = _db.Scalar<long>("SELECT pid FROM plink WHERE cid=$1 AND isprim", cid);
            _db.Execute("DELETE FROM mlink WHERE mid=$1", cid);
            if (childPrimary == 0) continue;
            LinkFilesAgainstParents(child, childPrimary, child.Artifact.Parents.Count);
        }
        if (parents.Count == 0)
        {
            bool isPublic = !IsPrivate(rid);
            foreach (var f in p.Files)
            {
                AddFileLink(0, null, rid, f.Hash, f.Name, null, isPublic, isPrimary: true, LinkedArtifact.Permission(f));
            }
        }
        return primary;
    }

    /// <summary>mlink rows of a check-in against its primary parent (and, through it, its merge parents).</summary>
    private void LinkFilesAgainstParents(LinkedArtifact manifest, long primary, int parentCount)
    {
        long rid = manifest.Rid;
        AddFileLinks(primary, null, rid, manifest, isPrimary: true);
        int links = parentCount + manifest.Artifact.CherryPicks.Count(c => !c.IsBackout);
        if (links > 1)
        {
            _db.Execute("UPDATE mlink SET pid=-1 WHERE mid=$1 AND pid=0 AND fnid IN"
                + " (SELECT fnid FROM mlink WHERE mid=$1 GROUP BY fnid HAVING count(*)<$2)", rid, links);
        }
    }

    /// <summary>
    /// fossil's <c>manifest_reparent_checkin</c>: a <c>parent</c> tag replaces the parents of
    /// <paramref name="rid"/> with the hashes in <paramref name="value"/>.
    /// </summary>
    private void ReparentCheckIn(long rid, string value)
    {
        string[] hashes = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (hashes.Length == 0 || hashes.Any(h => !FossilSync.Primitives.ArtifactHash.IsValid(h))) return;
        var manifest = LoadManifest(rid);
        if (manifest is null || manifest.Artifact.Type != ArtifactType.CheckIn || !FetchBaseline(manifest)) return;
        _db.Execute("DELETE FROM plink WHERE cid=$1", rid);
        _db.Execute("DELETE FROM mlink WHERE mid=$1", rid);
        AddCheckInLinkages(manifest, hashes);
    }
}
