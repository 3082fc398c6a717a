using FossilSync.Primitives;

namespace FossilSync.Repo;

/// <summary>
/// Checks every stored artifact: it expands (every delta's checksum included), its size is as
/// recorded, it hashes to its name, and no public artifact is a delta of a private one (the
/// checks of <c>fossil test-integrity</c>).
/// </summary>
/// <remarks>
/// The walk is the rebuild's: from each full text down the <see cref="DeltaTree"/>, each
/// artifact expanded once from its source's content in hand, so every blob is decompressed once
/// and every delta applied once. The names are checked by the rebuild's <see cref="HashChecker"/>
/// on a second core (in lanes where the machine has them). What is held at any time is the
/// delta tree (16 bytes an edge), a bit per rid, the contents on the current path that still
/// have a child to expand, and the checker's byte-bounded queue; an artifact's name is read
/// with its content, never kept for the whole walk. Expansions are shared as in the rebuild
/// (<see cref="SharedExpansion"/>): an array is reused once the checker and every child are done with it.
/// </remarks>
internal sealed class RepositoryVerifier(Repository repository, bool? useLanes = null)
{
    private readonly record struct Pending(long Rid, SharedExpansion? Source, long SourceRid, bool SourceIsPrivate);

    public VerifyReport Run(CancellationToken cancellationToken)
    {
        // One read transaction for the thousands of reads below (see Repository.ReadScope).
        using var reads = repository.ReadScope();
        var deltas = DeltaTree.Read(repository);
        var privateRids = Rids("SELECT rid FROM private").ToHashSet();
        var roots = Rids("SELECT rid FROM blob WHERE size>=0 AND NOT EXISTS(SELECT 1 FROM delta WHERE delta.rid=blob.rid) ORDER BY rid");

        var problems = new List<VerifyProblem>();
        var reached = new RidSet();
        int queued = 0;
        IReadOnlyList<string> mismatches;
        var pool = new ExpansionPool(ExpansionPool.IdleBytesBeside(HashChecker.DefaultLargestRoom));
        var order = FewestHeldOrder.For(deltas, roots);
        using (var checker = new HashChecker(useLanes))
        {
            var stack = new Stack<Pending>();
            foreach (long root in roots)
            {
                stack.Push(new Pending(root, null, 0, false));
                while (stack.TryPop(out var item))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    // A delta cycle in the table must not turn the walk into an endless one.
                    var expanded = reached.Contains(item.Rid) ? null : Expand(item, privateRids, problems, pool);
                    // Each pending child holds its source until expanded (or skipped).
                    item.Source?.Release();
                    if (expanded is not var (hash, content, isPrivate, sound)) continue;
                    reached.Add(item.Rid);
                    if (content is null) continue;
                    if (sound)
                    {
                        checker.Add(hash, content);
                        queued++;
                    }
                    var children = order.ChildrenOf(item.Rid);
                    for (int i = 0; i < children.Length; i++) content.Hold();
                    content.Release();
                    // Pushed in reverse, so the walk goes down in that order.
                    for (int i = children.Length - 1; i >= 0; i--) stack.Push(new Pending(children[i], content, item.Rid, isPrivate));
                }
                // The next tree's versions seldom fit this one's arrays.
                pool.DropIdle();
            }
            mismatches = checker.Complete();
        }
        foreach (string hash in mismatches)
        {
            problems.Add(new VerifyProblem(RidOf(hash), hash, "wrong hash: content does not hash to its name"));
        }

        // Deltas never reached cannot be expanded: their chain ends at a phantom (a source that
        // never came) or loops. Stock's test-integrity counts each as errors (its content comes
        // out empty: wrong size, wrong hash), and so do we.
        var unreached = new List<(long Rid, string Hash)>();
        using (var all = repository.Query("SELECT rid, uuid FROM blob WHERE size>=0 ORDER BY rid"))
        {
            while (all.Read())
            {
                long rid = all.GetInt64(0);
                if (!reached.Contains(rid)) unreached.Add((rid, all.GetString(1)));
            }
        }
        foreach (var (rid, hash) in unreached) problems.Add(new VerifyProblem(rid, hash, WhyUnexpandable(rid)));
        return new VerifyReport(queued - mismatches.Count, unreached.Count, problems);
    }

    // Reads and expands one artifact: null when it has no content row (a phantom child of some
    // delta edge; it is no artifact to verify); a null content when it does not expand (nothing
    // below it can be); not sound when it expands but failed a check, already reported.
    // A delta's result goes into an array from the pool; a full text's own array joins the pool
    // once released (nobody else has it).
    private (string Hash, SharedExpansion? Content, bool IsPrivate, bool Sound)? Expand(Pending item, HashSet<long> privateRids, List<VerifyProblem> problems, ExpansionPool pool)
    {
        string hash;
        long size;
        byte[] stored;
        using (var row = repository.Read(repository.Statement("SELECT uuid, size, content FROM blob WHERE rid=$1 AND size>=0", [item.Rid])))
        {
            if (!row.Read()) return null;
            hash = row.GetString(0);
            size = row.GetInt64(1);
            stored = row.IsDBNull(2) ? [] : (byte[])row.GetValue(2);
        }
        bool isPrivate = privateRids.Contains(item.Rid);
        SharedExpansion content;
        try
        {
            byte[] inner = BlobCompression.Decompress(stored, repository.Options.MaxArtifactSize);
            if (item.Source is null)
            {
                content = SharedExpansion.Pooled(inner, inner.Length, pool);
            }
            else
            {
                int length = FossilDelta.GetCheckedTargetLength(item.Source.Span, inner);
                content = SharedExpansion.Apply(item.Source, inner, length, pool, verifyChecksum: true);
            }
        }
        catch (CorruptContentException ex)
        {
            problems.Add(new VerifyProblem(item.Rid, hash, ex.Message));
            return (hash, null, isPrivate, false);
        }
        if (content.Length != size)
        {
            problems.Add(new VerifyProblem(item.Rid, hash, $"size mismatch: recorded {size}, expands to {content.Length}"));
            return (hash, content, isPrivate, false);
        }
        if (item.Source is not null && !isPrivate && item.SourceIsPrivate)
        {
            problems.Add(new VerifyProblem(item.Rid, hash, $"public artifact is a delta of private artifact rid {item.SourceRid}"));
            return (hash, content, isPrivate, false);
        }
        return (hash, content, isPrivate, true);
    }

    private List<long> Rids(string sql)
    {
        var rids = new List<long>();
        using var reader = repository.Query(sql);
        while (reader.Read()) rids.Add(reader.GetInt64(0));
        return rids;
    }

    private long RidOf(string hash) => repository.Scalar<long>("SELECT rid FROM blob WHERE uuid=$h", ("$h", hash));

    private string WhyUnexpandable(long rid)
    {
        var seen = new HashSet<long> { rid };
        for (long? source = repository.Content.DeltaSourceOf(rid); source is long step; source = repository.Content.DeltaSourceOf(step))
        {
            if (!repository.Scalar<bool>("SELECT size>=0 FROM blob WHERE rid=$r", ("$r", step))) return $"cannot be expanded: its delta chain reaches rid {step}, whose content is missing (a phantom)";
            if (!seen.Add(step)) return $"cannot be expanded: its delta chain loops back to rid {step}";
        }
        return "cannot be expanded: not reached from any full text";
    }
}
