using FossilSync.Primitives;
using FossilSync.Repo.Artifacts;

namespace FossilSync.Repo.Crosslink;

/// <summary>
/// Derives fossil's check-in tables from artifacts, as fossil 2.21's manifest_crosslink does:
/// <c>plink</c>, <c>mlink</c>/<c>filename</c>, <c>ci</c> events, <c>cherrypick</c>, tags with
/// propagation down the primary-parent DAG, cluster membership, leaves, and the timestamp
/// fix-up of check-ins made within two seconds of their parent.
/// </summary>
/// <remarks>
/// Artifacts may arrive in any order: a check-in whose parent is not here yet links to a
/// phantom, and its file changes are filled in when the parent arrives (stock's rule, which
/// makes the result independent of arrival order). Use one instance per batch and call
/// <see cref="Finish"/> once, inside the same transaction.
/// </remarks>
internal sealed class Crosslinker
{
    private const long TagBgColor = 1, TagComment = 2, TagUser = 3, TagDate = 4, TagPrivate = 6, TagBranch = 8;
    private const double FudgeWindow = 2.0 / 86400.0;
    private const double FudgeStep = 25.0 / 86400000.0;

    private readonly Repository _repository;
    private readonly ContentStore _content;
    private readonly HashSet<long> _leafChecks = [];
    private readonly Dictionary<long, Artifact?> _parsed = [];

    public Crosslinker(Repository repository)
    {
        _repository = repository;
        _content = repository.Content;
        _repository.Execute("CREATE TEMP TABLE IF NOT EXISTS time_fudge(mid INTEGER PRIMARY KEY, m1 REAL, cid INTEGER, m2 REAL)");
        _repository.Execute("DELETE FROM time_fudge");
    }

    /// <summary>Artifacts recognised and linked so far.</summary>
    public int Linked { get; private set; }

    /// <summary>Links one stored artifact; ordinary file content is left alone. Returns whether it was structural.</summary>
    /// <param name="rid">The artifact.</param>
    /// <param name="content">Its content when the caller already expanded it (saves walking its delta chain).</param>
    public bool Link(long rid, byte[]? content = null)
    {
        if (content is not null)
        {
            // Stock re-deltifies parents against children, so the parent this artifact's file
            // changes need is usually one delta away from the content in hand.
            _content.Remember(rid, content);
            // A child linked just before may already have parsed this artifact as its parent.
            if (!_parsed.ContainsKey(rid)) Remember(rid, ArtifactParser.Parse(content));
        }
        var p = Parse(rid);
        if (p is null) return false;
        if (p.Type == ArtifactType.CheckIn && p.Baseline is not null && Baseline(p) is null) return false;
        long parentId = 0;
        if (p.Type == ArtifactType.CheckIn)
        {
            foreach (var pick in p.CherryPicks)
            {
                _repository.Execute(
                    "REPLACE INTO cherrypick(parentid, childid, isExclude) SELECT rid, $c, $x FROM blob WHERE uuid=$u",
                    ("$c", rid), ("$x", pick.IsBackout), ("$u", pick.TargetHash));
            }
            if (_repository.Scalar<long>("SELECT count(*) FROM mlink WHERE mid=$r", ("$r", rid)) == 0)
            {
                parentId = AddCheckInLinkages(rid, p);
                _repository.Execute("""
                    REPLACE INTO event(type, mtime, objid, user, comment, bgcolor, euser, ecomment, omtime)
                    VALUES('ci',
                      coalesce((SELECT julianday(value) FROM tagxref WHERE tagid=4 AND rid=$r), $d),
                      $r, $u, $c,
                      (SELECT value FROM tagxref WHERE tagid=1 AND rid=$r AND tagtype>0),
                      (SELECT value FROM tagxref WHERE tagid=3 AND rid=$r),
                      (SELECT value FROM tagxref WHERE tagid=2 AND rid=$r), $d)
                    """, ("$r", rid), ("$d", JulianDay.ThroughSqlText(p.Date)), ("$u", p.User), ("$c", p.Comment));
            }
        }
        if (p.Type == ArtifactType.Cluster)
        {
            InsertTag("cluster", 1, null, rid, p.Date, rid);
            foreach (string member in p.ClusterMembers)
            {
                long mid = _content.GetOrCreatePhantom(member);
                if (mid > 0) _repository.Execute("DELETE FROM unclustered WHERE rid=$r", ("$r", mid));
            }
        }
        if (p.Type is ArtifactType.CheckIn or ArtifactType.Control or ArtifactType.TechNote)
        {
            foreach (var tag in p.Tags)
            {
                long target = tag.TargetHash is null ? rid : _content.GetOrCreatePhantom(tag.TargetHash);
                if (target == 0) continue;
                int type = tag.Kind switch { '-' => 0, '+' => 1, _ => 2 };
                InsertTag(tag.BareName, type, tag.Value, rid, p.Date, target);
            }
            if (parentId > 0) PropagateAll(parentId);
        }
        Linked++;
        return true;
    }

    /// <summary>Ends the batch: settles timestamps of close check-ins and recomputes affected leaves.</summary>
    public void Finish()
    {
        for (int i = 0; i < 30; i++)
        {
            int changed = _repository.Execute(
                "UPDATE time_fudge SET m1=m2-$incr WHERE m1>=m2 AND m1<m2+$window", ("$incr", FudgeStep), ("$window", FudgeWindow));
            if (changed == 0) break;
            _repository.Execute("UPDATE time_fudge SET m2=(SELECT x.m1 FROM time_fudge AS x WHERE x.mid=time_fudge.cid)");
        }
        _repository.Execute("""
            UPDATE event SET mtime=(SELECT m1 FROM time_fudge WHERE mid=objid)
             WHERE objid IN (SELECT mid FROM time_fudge) AND (mtime=omtime OR omtime IS NULL)
            """);
        _repository.Execute("DELETE FROM time_fudge");
        foreach (long rid in _leafChecks) CheckLeaf(rid);
        _leafChecks.Clear();
    }

    private long AddCheckInLinkages(long rid, Artifact p)
    {
        object? baseId = p.Baseline is null ? null : _content.GetOrCreatePhantom(p.Baseline);
        long parentId = 0;
        for (int i = 0; i < p.Parents.Count; i++)
        {
            long pid = _content.GetOrCreatePhantom(p.Parents[i]);
            _repository.Execute(
                "INSERT OR IGNORE INTO plink(pid, cid, isprim, mtime, baseid) VALUES($p, $c, $i, $m, $b)",
                ("$p", pid), ("$c", rid), ("$i", i == 0), ("$m", JulianDay.ThroughSqlText(p.Date)), ("$b", baseId));
            if (i == 0) parentId = pid;
        }
        AddMlink(parentId, null, rid, p, isPrimary: true);
        int links = p.Parents.Count + p.CherryPicks.Count(c => !c.IsBackout);
        if (links > 1)
        {
            // A file that only some parents have was added by the merge, not created from nothing.
            _repository.Execute("""
                UPDATE mlink SET pid=-1
                 WHERE mid=$r AND pid=0
                   AND fnid IN (SELECT fnid FROM mlink WHERE mid=$r GROUP BY fnid HAVING count(*)<$n)
                """, ("$r", rid), ("$n", links));
        }
        var children = new List<(long Cid, bool IsPrimary)>();
        using (var cmd = _repository.Command("SELECT cid, isprim FROM plink WHERE pid=$r", ("$r", rid)))
        using (var reader = cmd.ExecuteReader())
        {
            while (reader.Read()) children.Add((reader.GetInt64(0), reader.GetBoolean(1)));
        }
        foreach (var (cid, isPrimary) in children) AddMlink(rid, p, cid, null, isPrimary);
        if (p.Parents.Count == 0)
        {
            bool isPublic = !_content.IsPrivate(rid);
            foreach (var file in p.Files)
            {
                AddOneMlink(0, null, rid, file.Hash, file.Name, null, isPublic, isPrimary: true, CheckInFiles.Permission(file));
            }
        }
        return parentId;
    }

    // The file differences between a parent and a child check-in, one mlink row per file.
    private void AddMlink(long pmid, Artifact? parent, long mid, Artifact? child, bool isPrimary)
    {
        if (_repository.Scalar<long>("SELECT count(*) FROM mlink WHERE mid=$m AND pmid=$p", ("$m", mid), ("$p", pmid)) > 0) return;
        bool childIsOther = child is null;
        if (parent is null) parent = Parse(pmid);
        else child = Parse(mid);
        if (parent is not { Type: ArtifactType.CheckIn } || child is not { Type: ArtifactType.CheckIn }) return;
        var parentFiles = Files(parent);
        var childFiles = Files(child);
        if (parentFiles is null || childFiles is null) return;
        bool isPublic = !_content.IsPrivate(mid);
        // A merge parent is diffed only once the primary parent's content is here.
        if (!isPrimary && childIsOther && child.Parents.Count > 0
            && _repository.Scalar<long>("SELECT count(*) FROM blob WHERE uuid=$u AND size>0", ("$u", child.Parents[0])) == 0)
        {
            return;
        }
        if (child.Date < parent.Date + FudgeWindow)
        {
            _repository.Execute("INSERT OR REPLACE INTO time_fudge VALUES($p, $m1, $c, $m2)", ("$p", pmid), ("$m1", JulianDay.ThroughSqlText(parent.Date)), ("$c", mid), ("$m2", JulianDay.ThroughSqlText(child.Date)));
        }

        foreach (var file in child.Files)
        {
            int perm = CheckInFiles.Permission(file);
            if (file.PriorName is not null)
            {
                var before = parentFiles.Seek(file.PriorName);
                if (before is not null) AddOneMlink(pmid, before.Hash, mid, file.Hash, file.Name, file.PriorName, isPublic, isPrimary, perm);
                else AddOneMlink(pmid, null, mid, file.Hash, file.Name, null, isPublic, isPrimary, perm);
                continue;
            }
            var old = parentFiles.Seek(file.Name);
            if (old is null)
            {
                if (file.Hash is not null) AddOneMlink(pmid, null, mid, file.Hash, file.Name, null, isPublic, isPrimary, perm);
            }
            else if (file.Hash != old.Hash || CheckInFiles.Permission(old) != perm)
            {
                AddOneMlink(pmid, old.Hash, mid, file.Hash, file.Name, null, isPublic, isPrimary, perm);
            }
        }
        if (parent.Baseline is not null && child.Baseline is not null)
        {
            foreach (var old in parent.Files)
            {
                if (old.Hash is not null)
                {
                    if (childFiles.SeekOwn(old.Name) is not null) continue;
                    // The child reverts to its baseline's version: show it as a change.
                    var now = childFiles.Seek(old.Name);
                    if (now is not null) AddOneMlink(pmid, old.Hash, mid, now.Hash, now.Name, null, isPublic, isPrimary, CheckInFiles.Permission(now));
                }
                else
                {
                    // Deleted in the parent, back in the child.
                    var now = childFiles.Seek(old.Name);
                    if (now is not null) AddOneMlink(pmid, null, mid, now.Hash, now.Name, null, isPublic, isPrimary, CheckInFiles.Permission(now));
                }
            }
        }
        else if (child.Baseline is null)
        {
            foreach (var old in parentFiles.All())
            {
                if (childFiles.Seek(old.Name) is null) AddOneMlink(pmid, old.Hash, mid, null, old.Name, null, isPublic, isPrimary, 0);
            }
        }

        if (isPrimary)
        {
            for (int i = 1; i < child.Parents.Count; i++)
            {
                if (_content.FindRid(child.Parents[i]) is long merge && merge > 0) AddMlink(merge, null, mid, child, isPrimary: false);
            }
            foreach (var pick in child.CherryPicks.Where(c => !c.IsBackout))
            {
                if (_content.FindRid(pick.TargetHash) is long picked && picked > 0) AddMlink(picked, null, mid, child, isPrimary: false);
            }
        }
    }

    private void AddOneMlink(long pmid, string? fromHash, long mid, string? toHash, string name, string? priorName, bool isPublic, bool isPrimary, int perm)
    {
        long fnid = FilenameId(name);
        long pfnid = priorName is null ? 0 : FilenameId(priorName);
        long pid = fromHash is null ? 0 : _content.GetOrCreatePhantom(fromHash);
        long fid = 0;
        if (toHash is not null)
        {
            fid = _content.GetOrCreatePhantom(toHash);
            if (isPublic) _content.MakePublic(fid);
        }
        bool insert = isPrimary || _repository.Scalar<long>("SELECT count(*) FROM mlink WHERE mid=$m AND fnid=$n AND NOT isaux", ("$m", mid), ("$n", fnid)) > 0;
        if (!insert) return;
        _repository.Execute(
            "INSERT INTO mlink(mid, fid, pmid, pid, fnid, pfnid, mperm, isaux) VALUES($m, $f, $pm, $p, $n, $pn, $mp, $aux)",
            ("$m", mid), ("$f", fid), ("$pm", pmid), ("$p", pid), ("$n", fnid), ("$pn", pfnid), ("$mp", perm), ("$aux", !isPrimary));
    }

    private long FilenameId(string name) =>
        _repository.Scalar<long?>("SELECT fnid FROM filename WHERE name=$n", ("$n", name))
        ?? _repository.Scalar<long>("INSERT INTO filename(name) VALUES($n) RETURNING fnid", ("$n", name));

    /// <summary>fossil's tag_insert: a newer value on the same artifact always wins, whatever the arrival order.</summary>
    private void InsertTag(string name, int type, string? value, long sourceId, double mtime, long rid)
    {
        // An artifact without a D card (a cluster) is tagged "now", as stock does.
        if (mtime <= 0) mtime = _repository.JulianNow();
        long tagid = TagId(name);
        if (_repository.Scalar<long>("SELECT count(*) FROM tagxref WHERE tagid=$t AND rid=$r AND mtime>=$m", ("$t", tagid), ("$r", rid), ("$m", mtime)) > 0) return;
        _repository.Execute(
            "REPLACE INTO tagxref(tagid, tagtype, srcid, origid, value, mtime, rid) VALUES($t, $y, $s, $r, $v, $m, $r)",
            ("$t", tagid), ("$y", type), ("$s", sourceId), ("$r", rid), ("$v", value), ("$m", mtime));
        if (tagid == TagBranch) EventuallyCheckLeaf(rid);
        string? effective = type == 0 ? null : value;
        string? column = tagid switch { TagBgColor => "bgcolor", TagComment => "ecomment", TagUser => "euser", _ => null };
        if (tagid == TagPrivate) _repository.Execute("INSERT OR IGNORE INTO private(rid) VALUES($r)", ("$r", rid));
        if (column is not null) _repository.Execute($"UPDATE event SET \"{column}\"=$v WHERE objid=$r", ("$v", effective), ("$r", rid));
        if (tagid == TagDate)
        {
            _repository.Execute("UPDATE event SET mtime=julianday($v), omtime=coalesce(omtime, mtime) WHERE objid=$r", ("$v", effective), ("$r", rid));
        }
        Propagate(rid, tagid, type == 2 ? 2 : 0, rid, effective, mtime);
    }

    // Pushes a propagating tag (type 2) or its cancellation (type 0) down primary children,
    // stopping where a tag set directly, or a newer propagated one, already stands.
    private void Propagate(long pid, long tagid, int type, long originId, string? value, double mtime)
    {
        var queue = new PriorityQueue<long, double>();
        queue.Enqueue(pid, 0.0);
        var children = new List<(long Cid, double Mtime)>();
        while (queue.TryDequeue(out long current, out _))
        {
            children.Clear();
            using (var cmd = _repository.Command("""
                SELECT cid, plink.mtime, coalesce(srcid=0 AND tagxref.mtime<$m, $d) AS doit
                  FROM plink LEFT JOIN tagxref ON cid=rid AND tagid=$t
                 WHERE pid=$p AND isprim
                """, ("$m", mtime), ("$d", type == 2), ("$t", tagid), ("$p", current)))
            using (var reader = cmd.ExecuteReader())
            {
                while (reader.Read())
                {
                    if (reader.GetBoolean(2)) children.Add((reader.GetInt64(0), reader.GetDouble(1)));
                }
            }
            foreach (var (cid, childTime) in children)
            {
                queue.Enqueue(cid, childTime);
                if (type == 2)
                {
                    _repository.Execute(
                        "REPLACE INTO tagxref(tagid, tagtype, srcid, origid, value, mtime, rid) VALUES($t, 2, 0, $o, $v, $m, $r)",
                        ("$t", tagid), ("$o", originId), ("$v", value), ("$m", mtime), ("$r", cid));
                }
                else
                {
                    _repository.Execute("DELETE FROM tagxref WHERE tagid=$t AND rid=$r", ("$t", tagid), ("$r", cid));
                }
                if (tagid == TagBgColor) _repository.Execute("UPDATE event SET bgcolor=$v WHERE objid=$r", ("$v", value), ("$r", cid));
                if (tagid == TagBranch) EventuallyCheckLeaf(cid);
            }
        }
    }

    private void PropagateAll(long pid)
    {
        var tags = new List<(long Tagid, int Type, double Mtime, string? Value, long Origin)>();
        using (var cmd = _repository.Command("SELECT tagid, tagtype, mtime, value, origid FROM tagxref WHERE rid=$r", ("$r", pid)))
        using (var reader = cmd.ExecuteReader())
        {
            while (reader.Read())
            {
                tags.Add((reader.GetInt64(0), reader.GetInt32(1), reader.GetDouble(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt64(4)));
            }
        }
        foreach (var (tagid, type, mtime, value, origin) in tags) Propagate(pid, tagid, type == 1 ? 0 : type, origin, value, mtime);
    }

    private long TagId(string name) =>
        _repository.Scalar<long?>("SELECT tagid FROM tag WHERE tagname=$n", ("$n", name))
        ?? _repository.Scalar<long>("INSERT INTO tag(tagname) VALUES($n) RETURNING tagid", ("$n", name));

    private void EventuallyCheckLeaf(long rid)
    {
        _leafChecks.Add(rid);
        using var cmd = _repository.Command("SELECT pid FROM plink WHERE cid=$r AND pid>0", ("$r", rid));
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) _leafChecks.Add(reader.GetInt64(0));
    }

    // A check-in is a leaf when none of its children continues its branch.
    private void CheckLeaf(long rid)
    {
        bool continued = _repository.Scalar<long>("""
            SELECT count(*) FROM plink
             WHERE pid=$r
               AND coalesce((SELECT value FROM tagxref WHERE tagid=8 AND rid=$r), 'trunk')
                == coalesce((SELECT value FROM tagxref WHERE tagid=8 AND rid=plink.cid), 'trunk')
            """, ("$r", rid)) > 0;
        _repository.Execute(continued ? "DELETE FROM leaf WHERE rid=$r" : "INSERT OR IGNORE INTO leaf VALUES($r)", ("$r", rid));
    }

    private Artifact? Parse(long rid)
    {
        if (rid <= 0) return null;
        if (_parsed.TryGetValue(rid, out var cached)) return cached;
        byte[]? content = _content.Get(rid);
        var artifact = content is null ? null : ArtifactParser.Parse(content);
        Remember(rid, artifact);
        return artifact;
    }

    // Parents are usually linked just before their children, so a small cache of recent
    // parses saves most re-parsing; big manifests make a large one expensive in memory.
    private void Remember(long rid, Artifact? artifact)
    {
        if (_parsed.Count >= 64) _parsed.Clear();
        _parsed[rid] = artifact;
    }

    private Artifact? Baseline(Artifact p) =>
        p.Baseline is null ? null : _content.FindRid(p.Baseline) is long b ? Parse(b) : null;

    private CheckInFiles? Files(Artifact p)
    {
        if (p.Baseline is null) return new CheckInFiles(p, null);
        var baseline = Baseline(p);
        return baseline is null ? null : new CheckInFiles(p, baseline);
    }
}
