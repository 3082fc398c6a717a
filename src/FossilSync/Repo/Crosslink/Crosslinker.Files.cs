using FossilSync.Primitives;
using FossilSync.Repo.Artifacts;

namespace FossilSync.Repo.Crosslink;

/// <summary>
/// <c>mlink</c> and <c>filename</c>: one row per file that differs between a check-in and a
/// parent (fossil's <c>add_mlink</c>/<c>add_one_mlink</c>). Deleted files have fid 0, added
/// files pid 0 (−1 when added by a merge), renames a pfnid; rows against merge parents are aux
/// rows and exist only where the primary parent also has a row.
/// </summary>
internal sealed partial class Crosslinker
{
    // Parent and child dated this close together may have their timestamps nudged apart.
    internal const double AgeFudgeWindow = 2.0 / 86400.0;

    // While a merge parent's rows are added: the files the child's primary rows name, as an
    // aux row exists only beside one. Asked of SQLite file by file, each lookup walked all of
    // the child's rows, and a merge of a large history dominated a clone's final pass.
    private HashSet<long>? _primaryFiles;

    private void AddFileLinks(long parentRid, LinkedArtifact? parent, long childRid, LinkedArtifact? child, bool isPrimary)
    {
        if (_db.Exists("SELECT 1 FROM mlink WHERE mid=$1 AND pmid=$2", childRid, parentRid)) return;
        bool loadedParent = parent is null;
        if (parent is null) parent = LoadManifest(parentRid);
        else child = LoadManifest(childRid);
        if (parent is null || child is null) return;
        if (!FetchBaseline(parent) || !FetchBaseline(child)) return;
        bool isPublic = !IsPrivate(childRid);
        if (!isPrimary && !loadedParent && child.Artifact.Parents.Count > 0
            && !_db.Exists("SELECT 1 FROM blob WHERE uuid=$1 AND size>0", child.Artifact.Parents[0]))
        {
            // The primary parent is still missing; these rows come when it arrives.
            return;
        }
        if (child.Artifact.Date < parent.Artifact.Date + AgeFudgeWindow)
        {
            _db.Execute("INSERT OR REPLACE INTO time_fudge VALUES($1,$2,$3,$4)",
                parent.Rid, _parsing.Dates.ThroughSqlText(parent.Artifact.Date), child.Rid, _parsing.Dates.ThroughSqlText(child.Artifact.Date));
        }

        if (!isPrimary) _primaryFiles = [.. _db.Rids("SELECT fnid FROM mlink WHERE mid=$1 AND NOT isaux", childRid)];
        try
        {
            if (!parent.IsDelta && !child.IsDelta) LinkWholeManifests(parent, child, isPublic, isPrimary);
            else LinkDeltaManifests(parent, child, isPublic, isPrimary);
        }
        finally
        {
            _primaryFiles = null;
        }
        if (loadedParent) Remember(parent);
        else Remember(child);

        if (isPrimary)
        {
            var p = child.Artifact;
            for (int i = 1; i < p.Parents.Count; i++)
            {
                long merged = RidOf(p.Parents[i], create: false);
                if (merged > 0) AddFileLinks(merged, null, childRid, child, isPrimary: false);
            }
            foreach (var pick in p.CherryPicks)
            {
                if (pick.IsBackout) continue;
                long picked = RidOf(pick.TargetHash, create: false);
                if (picked > 0) AddFileLinks(picked, null, childRid, child, isPrimary: false);
            }
        }
    }

    /// <summary>The file rows when either side is a delta manifest: lookups go through the baseline.</summary>
    private void LinkDeltaManifests(LinkedArtifact parent, LinkedArtifact child, bool isPublic, bool isPrimary)
    {
        long parentRid = parent.Rid, childRid = child.Rid;
        foreach (var file in child.Artifact.Files)
        {
            int perm = LinkedArtifact.Permission(file);
            if (file.PriorName is not null)
            {
                var before = parent.File(file.PriorName);
                if (before is not null) AddFileLink(parentRid, before.Hash, childRid, file.Hash, file.Name, file.PriorName, isPublic, isPrimary, perm);
                else AddFileLink(parentRid, null, childRid, file.Hash, file.Name, null, isPublic, isPrimary, perm);
                continue;
            }
            var old = parent.File(file.Name);
            if (old is null)
            {
                if (file.Hash is not null) AddFileLink(parentRid, null, childRid, file.Hash, file.Name, null, isPublic, isPrimary, perm);
            }
            else if (!string.Equals(file.Hash, old.Hash, StringComparison.Ordinal) || LinkedArtifact.Permission(old) != perm)
            {
                AddFileLink(parentRid, old.Hash, childRid, file.Hash, file.Name, null, isPublic, isPrimary, perm);
            }
        }
        if (parent.IsDelta && child.IsDelta)
        {
            // Files changed or deleted in the parent's delta that the child's delta no longer
            // mentions have reverted to the (shared) baseline: show them as changes.
            foreach (var before in parent.Artifact.Files)
            {
                if (before.Hash is not null)
                {
                    if (child.OwnFile(before.Name) is null && child.File(before.Name) is { } reverted)
                    {
                        AddFileLink(parentRid, before.Hash, childRid, reverted.Hash, reverted.Name, null, isPublic, isPrimary, LinkedArtifact.Permission(reverted));
                    }
                }
                else if (child.File(before.Name) is { } resurrected)
                {
                    AddFileLink(parentRid, null, childRid, resurrected.Hash, resurrected.Name, null, isPublic, isPrimary, LinkedArtifact.Permission(resurrected));
                }
            }
        }
        else if (!child.IsDelta)
        {
            foreach (var before in parent.AllFiles())
            {
                if (before.Hash is not null && child.File(before.Name) is null)
                {
                    AddFileLink(parentRid, before.Hash, childRid, null, before.Name, null, isPublic, isPrimary, 0);
                }
            }
        }
    }

    /// <summary>
    /// The file rows between two baseline manifests: both F-card lists are sorted by name, so
    /// one merge walk pairs them (a check-in of thousands of files changes a handful; looking
    /// each name up in the other manifest cost more than the rest of the crosslink).
    /// </summary>
    private void LinkWholeManifests(LinkedArtifact parent, LinkedArtifact child, bool isPublic, bool isPrimary)
    {
        long parentRid = parent.Rid, childRid = child.Rid;
        var before = parent.Artifact.Files;
        var after = child.Artifact.Files;
        int j = 0;
        foreach (var file in after)
        {
            if (file.PriorName is not null)
            {
                var renamed = parent.File(file.PriorName);
                AddFileLink(parentRid, renamed?.Hash, childRid, file.Hash, file.Name, renamed is null ? null : file.PriorName, isPublic, isPrimary, LinkedArtifact.Permission(file));
                continue;
            }
            var old = Find(before, ref j, file.Name);
            // Unchanged lines are the very same parsed object (the parser reuses them).
            if (ReferenceEquals(old, file)) continue;
            int perm = LinkedArtifact.Permission(file);
            if (old?.Hash is null)
            {
                if (file.Hash is not null) AddFileLink(parentRid, null, childRid, file.Hash, file.Name, null, isPublic, isPrimary, perm);
            }
            else if (!string.Equals(file.Hash, old.Hash, StringComparison.Ordinal) || LinkedArtifact.Permission(old) != perm)
            {
                AddFileLink(parentRid, old.Hash, childRid, file.Hash, file.Name, null, isPublic, isPrimary, perm);
            }
        }
        // Files of the parent that the child no longer has were deleted.
        int k = 0;
        foreach (var old in before)
        {
            if (old.Hash is not null && Find(after, ref k, old.Name)?.Hash is null)
            {
                AddFileLink(parentRid, old.Hash, childRid, null, old.Name, null, isPublic, isPrimary, 0);
            }
        }
    }

    /// <summary>
    /// The entry named <paramref name="name"/> in sorted <paramref name="files"/>, searching
    /// forward from <paramref name="next"/>, which is left past everything sorting before it
    /// (and past the entry found); null when absent.
    /// </summary>
    private static ArtifactFile? Find(List<ArtifactFile> files, ref int next, string name)
    {
        while (next < files.Count)
        {
            string candidate = files[next].Name;
            if (ReferenceEquals(candidate, name) || candidate == name) return files[next++];
            if (Utf8Order.Compare(candidate, name) > 0) return null;
            next++;
        }
        return null;
    }

    private void AddFileLink(long parentRid, string? fromHash, long childRid, string? toHash, string name, string? priorName,
        bool isPublic, bool isPrimary, int perm)
    {
        long fnid = FilenameId(name);
        long pfnid = priorName is null ? 0 : FilenameId(priorName);
        long pid = string.IsNullOrEmpty(fromHash) ? 0 : RidOf(fromHash, create: true);
        long fid = 0;
        if (!string.IsNullOrEmpty(toHash))
        {
            fid = RidOf(toHash, create: true);
            if (isPublic) MakePublic(fid);
        }
        if (!isPrimary && !_primaryFiles!.Contains(fnid)) return;
        _db.Execute("INSERT INTO mlink(mid,fid,pmid,pid,fnid,pfnid,mperm,isaux) VALUES($1,$2,$3,$4,$5,$6,$7,$8)",
            childRid, fid, parentRid, pid, fnid, pfnid, perm, isPrimary ? 0 : 1);
    }

    private long FilenameId(string name)
    {
        if (_filenameIds.TryGetValue(name, out long known)) return known;
        long fnid = _db.Scalar<long>("SELECT fnid FROM filename WHERE name=$1", name);
        if (fnid == 0) fnid = _db.Scalar<long>("INSERT INTO filename(name) VALUES($1) RETURNING fnid", name);
        _filenameIds[name] = fnid;
        return fnid;
    }
}
