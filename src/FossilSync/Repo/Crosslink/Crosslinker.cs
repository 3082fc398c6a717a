using FossilSync.Repo.Artifacts;

namespace FossilSync.Repo.Crosslink;

/// <summary>
/// Derives fossil's derived tables (<c>plink mlink filename event tag tagxref leaf backlink
/// cherrypick attachment forumpost orphan unclustered</c> …) from stored artifacts, as fossil
/// 2.21's <c>manifest_crosslink</c> does. One instance is one session: create it, call
/// <see cref="Link(long, byte[])"/> for artifacts (in any order), then <see cref="Finish"/>,
/// which runs the work fossil defers to the end of a session (re-parenting, tickets, wiki
/// backlinks, timestamp fudging, leaf checks). Must run inside a repository transaction.
/// </summary>
internal sealed partial class Crosslinker : IDisposable
{
    // Parsed manifests are reused: each check-in is compared with its parents and children.
    private const int ManifestCacheSize = 32;

    private readonly Repository _repository;
    private readonly DerivedDb _db;
    private readonly TagWriter _tags;
    private readonly LeafTracker _leaves;
    private readonly Backlinks _backlinks;
    private readonly Dictionary<long, LinkedArtifact> _manifests = [];
    private readonly Queue<long> _manifestAge = new();
    private readonly SortedSet<string> _pendingTickets = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _pendingWiki = new(StringComparer.Ordinal);
    private readonly HashSet<long> _linkedHere = [];
    // Session caches (a session lives inside one transaction, so they cannot go stale): names
    // to rids, and the private rids, which nothing but this session changes while it runs.
    private Dictionary<NameKey, long> _ridByHash = [];
    private readonly HashSet<long> _private;
    private readonly Dictionary<string, long> _filenameIds = new(StringComparer.Ordinal);
    private readonly int _hashDigits;
    private bool _seenDeltaManifest;
    private bool _finished;

    // This session's parser caches: gone with the session, never kept by a pool thread.
    private readonly ParseSession _parsing = new();

    public Crosslinker(Repository repository, bool incremental = false)
    {
        Incremental = incremental;
        _repository = repository;
        _db = new DerivedDb(repository);
        _private = [.. _db.Rids("SELECT rid FROM private")];
        _leaves = new LeafTracker(_db);
        _backlinks = new Backlinks(_db, _parsing.Dates);
        _tags = new TagWriter(_db, _leaves, _backlinks) { Reparent = ReparentCheckIn, MadePrivate = rid => _private.Add(rid), OrderIndependent = incremental };
        _hashDigits = Math.Clamp(int.TryParse(repository.GetConfig("hash-digits"), out int d) ? d : 10, 6, 64);
        _db.Script("""
            DROP TABLE IF EXISTS temp.time_fudge;
            CREATE TEMP TABLE time_fudge(mid INTEGER PRIMARY KEY, m1 REAL, cid INTEGER, m2 REAL);
            """);
    }

    /// <summary>
    /// True when artifacts arrive one batch at a time (sync), false for a rebuild, which sees
    /// every blob and must follow stock's order-dependent rules exactly.
    /// </summary>
    public bool Incremental { get; }

    /// <summary>
    /// When set, artifacts are parsed without their Z-card MD5 and every one that parses is
    /// handed to this checker; the session's results stand only if all of them hold (a rebuild
    /// re-runs strictly otherwise). While the checker is behind, the MD5 is done here instead.
    /// </summary>
    public HashChecker? DeferredZCards { get; init; }

    /// <summary>How many artifacts this session crosslinked (parsed as structural artifacts and linked).</summary>
    public int Linked { get; private set; }

    /// <summary>
    /// Crosslinks one artifact whose full content is <paramref name="content"/>. Returns false
    /// when it is not a structural artifact, or when it is a delta manifest whose baseline is
    /// missing (it is then listed in <c>orphan</c> and linked when the baseline arrives).
    /// </summary>
    public bool Link(long rid, byte[] content) => Link(rid, SharedExpansion.Unpooled(content));

    /// <summary>
    /// <see cref="Link(long, byte[])"/> for content a walk shares: a Z card checked later
    /// holds it until then.
    /// </summary>
    public bool Link(long rid, SharedExpansion content) => Link(rid, content, out _);

    /// <summary>
    /// <see cref="Link(long, SharedExpansion)"/>, also saying whether <paramref name="content"/>
    /// is a control artifact at all (false: plain content, which links nothing whatever the order).
    /// </summary>
    public bool Link(long rid, SharedExpansion content, out bool isControlArtifact)
    {
        isControlArtifact = true;
        if (!_manifests.TryGetValue(rid, out var linked))
        {
            var artifact = ParseArtifact(content);
            if (artifact is null)
            {
                isControlArtifact = false;
                return false;
            }
            linked = new LinkedArtifact(rid, artifact);
        }
        var p = linked.Artifact;
        if (p.Type == ArtifactType.CheckIn && !FetchBaseline(linked)) return false;

        long parentRid = 0;
        switch (p.Type)
        {
            case ArtifactType.CheckIn:
                parentRid = LinkCheckIn(linked);
                break;
            case ArtifactType.Cluster:
                LinkCluster(rid, p);
                break;
        }
        if (p.Type is ArtifactType.Control or ArtifactType.CheckIn or ArtifactType.TechNote)
        {
            foreach (var tag in p.Tags)
            {
                long target = tag.TargetHash is null ? rid : RidOf(tag.TargetHash, create: true);
                if (target == 0) continue;
                int tagType = tag.Kind switch { '-' => 0, '+' => 1, _ => 2 };
                _tags.Insert(tag.BareName, tagType, tag.Value, rid, p.Date, target);
            }
            if (parentRid != 0) _tags.PropagateAll(parentRid);
        }
        if (p.Type is ArtifactType.Wiki or ArtifactType.Forum or ArtifactType.TechNote) AddDocumentParents(rid, p);
        switch (p.Type)
        {
            case ArtifactType.Wiki: LinkWiki(rid, p); break;
            case ArtifactType.TechNote: LinkTechNote(rid, p); break;
            case ArtifactType.Ticket: LinkTicket(rid, p); break;
            case ArtifactType.Attachment: LinkAttachment(rid, p); break;
            case ArtifactType.Control: LinkControl(rid, p); break;
            case ArtifactType.Forum: LinkForum(rid, p); break;
        }
        if (p.Type == ArtifactType.CheckIn) Remember(linked);
        Linked++;
        return true;
    }

    /// <summary>
    /// Links <paramref name="rid"/> by reading its content from the repository; false when its
    /// content is not available (a phantom, or a delta whose source is missing) or it is not a
    /// structural artifact.
    /// </summary>
    public bool Link(long rid)
    {
        // A manifest parsed earlier (as some check-in's parent) needs no second read.
        if (_manifests.ContainsKey(rid)) return Link(rid, []);
        // Found plain as it arrived: parsing would only find that out again.
        if (_repository.Content.TakePlainArrival(rid)) return false;
        byte[]? content = _repository.Content.Get(rid);
        return content is not null && Link(rid, content);
    }

    /// <summary>
    /// Links <paramref name="rid"/> (newly given content) and everything that was waiting for it,
    /// as fossil does when a phantom is filled: delta manifests orphaned for want of this
    /// baseline, and artifacts stored as deltas against it that could not be read until now.
    /// </summary>
    public void LinkArrived(long rid)
    {
        var work = new Stack<(long Rid, bool Link)>();
        work.Push((rid, true));
        while (work.TryPop(out var item))
        {
            if (!_linkedHere.Add(item.Rid)) continue;
            if (item.Link) Link(item.Rid);
            var orphans = _db.Rids("SELECT rid FROM orphan WHERE baseline=$1", item.Rid);
            if (orphans.Count > 0)
            {
                _db.Execute("DELETE FROM orphan WHERE baseline=$1", item.Rid);
                foreach (long orphan in orphans)
                {
                    if (_linkedHere.Add(orphan)) Link(orphan);
                }
            }
            var waiting = _db.Rids("SELECT rid FROM delta WHERE srcid=$1 AND NOT EXISTS(SELECT 1 FROM mlink WHERE mid=delta.rid)", item.Rid);
            for (int i = waiting.Count - 1; i >= 0; i--) work.Push((waiting[i], true));
        }
    }

    /// <summary>Runs the deferred end-of-session work. Call once, after the last <c>Link</c>.</summary>
    public void Finish()
    {
        if (_finished) return;
        _finished = true;
        foreach (var row in _db.Rows("SELECT rid, value FROM tagxref WHERE tagid=$1 AND tagtype=1", TagIds.Parent))
        {
            if (row[1] is string value) ReparentCheckIn((long)row[0]!, value);
        }
        foreach (string ticket in _pendingTickets) RebuildTicket(ticket);
        foreach (string title in _pendingWiki) RefreshWikiBacklinks(title);
        _pendingTickets.Clear();
        _pendingWiki.Clear();
        TimeFudge.Apply(_db);
        _leaves.CheckPending();
    }

    public void Dispose()
    {
        _db.Script("DROP TABLE IF EXISTS temp.time_fudge;");
    }

    /// <summary>fossil's <c>uuid_to_rid</c>: the rid of a name; unknown names become phantoms when <paramref name="create"/> is set.</summary>
    /// <remarks>Names seen once in this session are answered from memory: a check-in names every file it holds.</remarks>
    private long RidOf(string hash, bool create)
    {
        if (!NameKey.TryCreate(hash, out var key)) return 0;
        if (_ridByHash.TryGetValue(key, out long known)) return known;
        long rid = create ? _repository.Content.GetOrCreatePhantom(hash) : _repository.Content.FindRid(hash) ?? 0;
        if (rid > 0) _ridByHash[key] = rid;
        return rid;
    }

    /// <summary>
    /// Reads every artifact name at once, for a session that will look up most of them (a
    /// rebuild: clusters and manifests name every artifact), instead of one query per name.
    /// <paramref name="known"/>, when given, is that table already built (every blob row's name
    /// to its rid, as a clone's transfer kept it): the session takes it over, less the shunned.
    /// </summary>
    public void LoadAllNames(Dictionary<NameKey, long>? known = null)
    {
        if (known is not null)
        {
            _ridByHash = known;
            foreach (var row in _db.Rows("SELECT uuid FROM shun"))
            {
                if (row[0] is string name && NameKey.TryCreate(name, out var key)) _ridByHash.Remove(key);
            }
            return;
        }
        // Sized once: grown by doubling, the table of a large history ends half empty and leaves
        // its smaller copies to the collector.
        _ridByHash.EnsureCapacity((int)_db.Scalar<long>("SELECT count(*) FROM blob"));
        using var reader = _repository.Query("SELECT uuid, rid FROM blob WHERE NOT EXISTS(SELECT 1 FROM shun WHERE uuid=blob.uuid)");
        while (reader.Read())
        {
            if (NameKey.TryCreate(reader.GetString(0), out var key)) _ridByHash[key] = reader.GetInt64(1);
        }
    }

    /// <summary>Whether <paramref name="rid"/> is private, from the set read when the session began.</summary>
    private bool IsPrivate(long rid) => _private.Contains(rid);

    /// <summary>A file that a public check-in holds is public (stock's add_one_mlink).</summary>
    private void MakePublic(long rid)
    {
        if (_private.Remove(rid)) _repository.Content.MakePublic(rid);
    }

    private string Short(string? hash) => FossilText.Short(hash, _hashDigits);

    private string UrlHash(string? hash) => FossilText.Short(hash, Math.Max(16, _hashDigits + 6));

    /// <summary>A parsed manifest from the cache or the repository; null when unreadable or not parseable.</summary>
    private LinkedArtifact? LoadManifest(long rid)
    {
        if (_manifests.TryGetValue(rid, out var cached)) return cached;
        if (rid <= 0) return null;
        byte[]? content = _repository.Content.Get(rid);
        if (content is null || content.Length == 0) return null;
        var artifact = ParseArtifact(SharedExpansion.Unpooled(content));
        return artifact is null ? null : new LinkedArtifact(rid, artifact);
    }

    private Artifact? ParseArtifact(SharedExpansion content)
    {
        if (DeferredZCards is not { IsBehind: false } checker) return ArtifactParser.Parse(content.Span, _parsing);
        var artifact = ArtifactParser.ParseDeferringZCard(content.Span, _parsing);
        if (artifact is not null) checker.AddZCard(content);
        return artifact;
    }

    private void Remember(LinkedArtifact manifest)
    {
        if (_manifests.ContainsKey(manifest.Rid)) return;
        _manifests[manifest.Rid] = manifest;
        _manifestAge.Enqueue(manifest.Rid);
        while (_manifestAge.Count > ManifestCacheSize) _manifests.Remove(_manifestAge.Dequeue());
    }

    /// <summary>
    /// Fetches the baseline of a delta manifest. When it cannot be read the manifest is listed
    /// in <c>orphan</c> and false is returned.
    /// </summary>
    private bool FetchBaseline(LinkedArtifact manifest)
    {
        if (manifest.Artifact.Baseline is not { } baselineHash || manifest.Baseline is not null) return true;
        long baselineRid = RidOf(baselineHash, create: true);
        var baseline = LoadManifest(baselineRid);
        if (baseline is null || baseline.Artifact.Type != ArtifactType.CheckIn)
        {
            _db.Execute("INSERT OR IGNORE INTO orphan(rid, baseline) VALUES($1,$2)", manifest.Rid, baselineRid);
            return false;
        }
        manifest.Baseline = baseline;
        return true;
    }
}
