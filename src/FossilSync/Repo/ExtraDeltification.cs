using FossilSync.Primitives;

namespace FossilSync.Repo;

/// <summary>
/// Stock's "extra delta compression", which its clone runs last: every check-in manifest and file
/// version still stored as a full text is re-stored as a delta against the best of its few nearest
/// newer relatives (the next check-ins in time, the next versions of the same file name) when that
/// saves a quarter of its size. A clone otherwise keeps the storage the server chose, which for an
/// imported or freshly pushed history is mostly full texts.
/// </summary>
/// <remarks>
/// Finding deltas is the cost, so this thread only reads contents and writes results while the
/// deltas of a batch are created on every core. Each delta is applied back and compared with the
/// full text before it replaces it, and none is stored that would close a delta cycle.
/// </remarks>
internal sealed class ExtraDeltification(Repository repository)
{
    // Stock's window: each full text is tried against this many newer neighbours.
    private const int Neighbours = 5;
    private const int MinimumSize = ContentStore.DeltaMinimumSize;
    // Contents held for one parallel batch. They outlive young collections while their deltas
    // are made, so a batch ends up in the old generation until a full collection: its size sets
    // a large clone's peak memory. A batch of a few dozen small manifests or files, or of one
    // large file's candidate and its neighbours, still keeps both cores busy.
    private const long BatchBytes = 2L << 20;

    // The delta table, in memory: chains are walked for every pair tried, and some are thousands of links deep.
    private readonly Dictionary<long, long> _sourceOf = [];

    /// <summary>Re-stores what it can as deltas, in one transaction; returns how many artifacts became deltas.</summary>
    public int Run(CancellationToken cancellationToken = default)
    {
        int stored = 0;
        using var transaction = repository.BeginTransaction();
        using (var rows = repository.Query("SELECT rid, srcid FROM delta"))
        {
            while (rows.Read()) _sourceOf[rows.GetInt64(0)] = rows.GetInt64(1);
        }
        foreach (var sequence in new[] { CheckInsNewestFirst(), FileVersionsNewestFirst() })
        {
            stored += Deltify(sequence, cancellationToken);
        }
        transaction.Commit();
        return stored;
    }

    // Full-text check-ins, newest first: one sequence.
    private List<List<long>> CheckInsNewestFirst()
    {
        var rids = new List<long>();
        using var rows = repository.Query(
            "SELECT blob.rid FROM event JOIN blob ON blob.rid=event.objid WHERE event.type='ci' AND NOT EXISTS(SELECT 1 FROM delta WHERE delta.rid=blob.rid) ORDER BY event.mtime DESC");
        while (rows.Read()) rids.Add(rows.GetInt64(0));
        return [rids];
    }

    // Full-text versions of each file name, newest first: one sequence per name.
    private List<List<long>> FileVersionsNewestFirst()
    {
        var sequences = new List<List<long>>();
        List<long>? current = null;
        long currentName = 0;
        using var rows = repository.Query(
            "SELECT blob.rid, mlink.fnid FROM mlink JOIN plink ON plink.cid=mlink.mid JOIN blob ON blob.rid=mlink.fid WHERE NOT EXISTS(SELECT 1 FROM delta WHERE delta.rid=blob.rid) ORDER BY mlink.fnid, plink.mtime DESC");
        while (rows.Read())
        {
            long rid = rows.GetInt64(0), name = rows.GetInt64(1);
            if (current is null || name != currentName)
            {
                current = [];
                sequences.Add(current);
                currentName = name;
            }
            // A check-in with several parents lists the same version once per parent.
            if (current.Count == 0 || current[^1] != rid) current.Add(rid);
        }
        return sequences;
    }

    private int Deltify(List<List<long>> sequences, CancellationToken cancellationToken)
    {
        int stored = 0;
        var batch = new List<Candidate>();
        long batchBytes = 0;
        foreach (var sequence in sequences)
        {
            var window = new Queue<(long Rid, byte[] Content)>();
            foreach (long rid in sequence)
            {
                cancellationToken.ThrowIfCancellationRequested();
                byte[]? content = repository.Content.Get(rid);
                if (content is null) continue;
                var sources = window.Where(s => s.Content.Length >= MinimumSize && IsAllowedSource(rid, s.Rid)).ToArray();
                if (content.Length >= MinimumSize && sources.Length > 0)
                {
                    batch.Add(new Candidate(rid, content, sources));
                    batchBytes += content.Length;
                }
                window.Enqueue((rid, content));
                if (window.Count > Neighbours) window.Dequeue();
                if (batchBytes >= BatchBytes)
                {
                    stored += Store(batch, cancellationToken);
                    batch.Clear();
                    batchBytes = 0;
                }
            }
        }
        return stored + Store(batch, cancellationToken);
    }

    // A private source would leak through a public delta (stock makes the same exception), and a
    // source that is itself stored as a delta of rid would close a cycle.
    private bool IsAllowedSource(long rid, long source) =>
        rid != source && (!repository.Content.IsPrivate(source) || repository.Content.IsPrivate(rid)) && !DependsOn(source, rid);

    private bool DependsOn(long rid, long ancestor)
    {
        for (long step = rid; _sourceOf.TryGetValue(step, out long next); step = next)
        {
            if (next == ancestor) return true;
        }
        return false;
    }

    private int Store(List<Candidate> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0) return 0;
        var pairs = batch.SelectMany((candidate, index) => candidate.Sources.Select((_, source) => (index, source))).ToArray();
        var deltas = new byte[]?[pairs.Length];
        Parallel.For(0, pairs.Length, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var (index, source) = pairs[i];
            var candidate = batch[index];
            deltas[i] = WorthyDelta(candidate.Sources[source].Content, candidate.Content);
        });
        int stored = 0;
        int pair = 0;
        for (int index = 0; index < batch.Count; index++)
        {
            var candidate = batch[index];
            long bestSource = 0;
            byte[]? best = null;
            for (int source = 0; source < candidate.Sources.Length; source++, pair++)
            {
                if (deltas[pair] is { } delta && (best is null || delta.Length < best.Length))
                {
                    best = delta;
                    bestSource = candidate.Sources[source].Rid;
                }
            }
            if (best is not null && StoreDelta(candidate.Rid, bestSource, best)) stored++;
        }
        return stored;
    }

    // The delta from source to target if it is worth storing and reproduces the target exactly.
    // The reproduction is only compared, so it goes into a rented array: every pair tried would
    // otherwise allocate a copy of its target.
    internal static byte[]? WorthyDelta(byte[] source, byte[] target)
    {
        byte[] delta = FossilDelta.Create(source, target);
        if (delta.Length >= target.Length * ContentStore.DeltaWorthRatio) return null;
        using var reproduced = FossilDelta.ApplyRented(source, delta);
        return reproduced.Span.SequenceEqual(target) ? delta : null;
    }

    private bool StoreDelta(long rid, long source, byte[] delta)
    {
        // Stored earlier in this pass (a version listed under two names), or the source now
        // depends on rid through a delta stored since the batch was read.
        if (_sourceOf.ContainsKey(rid) || source == rid || DependsOn(source, rid)) return false;
        repository.Content.StoreAsDelta(rid, source, delta);
        _sourceOf[rid] = source;
        return true;
    }

    private sealed record Candidate(long Rid, byte[] Content, (long Rid, byte[] Content)[] Sources);
}
