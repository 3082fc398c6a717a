using System.Collections.Concurrent;
using FossilSync.Primitives;

namespace FossilSync.Repo;

/// <summary>
/// Checks every stored artifact: it expands, its size is as recorded, it hashes to its name,
/// and no public artifact is a delta of a private one (the checks of <c>fossil test-integrity</c>).
/// </summary>
/// <remarks>
/// Instead of expanding each artifact's delta chain from scratch, the walk starts at full
/// texts and descends the delta tree, expanding each artifact once from its already expanded
/// source: every blob is decompressed once and every delta applied once. Hashing, the other
/// half of the work, runs on a second core, fed through a small bounded queue.
/// </remarks>
internal sealed class RepositoryVerifier(Repository repository)
{
    private readonly record struct Node(long Rid, string Hash, long Size, long? Source, bool IsPrivate);

    public VerifyReport Run(CancellationToken cancellationToken)
    {
        // One read transaction for the thousands of reads below (see Repository.ReadScope).
        using var reads = repository.ReadScope();
        var nodes = new Dictionary<long, Node>();
        var children = new Dictionary<long, List<long>>();
        using (var cmd = repository.Command("""
            SELECT b.rid, b.uuid, b.size, d.srcid, p.rid IS NOT NULL
            FROM blob b LEFT JOIN delta d ON d.rid=b.rid LEFT JOIN private p ON p.rid=b.rid
            WHERE b.size>=0
            """))
        using (var reader = repository.Read(cmd))
        {
            while (reader.Read())
            {
                var node = new Node(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.GetBoolean(4));
                nodes[node.Rid] = node;
                if (node.Source is long source)
                {
                    if (!children.TryGetValue(source, out var list)) children[source] = list = [];
                    list.Add(node.Rid);
                }
            }
        }

        var problems = new List<VerifyProblem>();
        int verified = 0;
        // Bounded: the walk waits when the hasher is 64 artifacts behind, which caps memory.
        using var toHash = new BlockingCollection<(Node Node, byte[] Content)>(boundedCapacity: 64);
        var hashing = Task.Run(() =>
        {
            var found = new List<VerifyProblem>();
            int ok = 0;
            foreach (var (node, content) in toHash.GetConsumingEnumerable(cancellationToken))
            {
                if (ArtifactHash.Matches(node.Hash, content)) ok++;
                else found.Add(new VerifyProblem(node.Rid, node.Hash, "wrong hash: content does not hash to its name"));
            }
            return (ok, found);
        }, cancellationToken);

        var stack = new Stack<(long Rid, byte[]? SourceContent)>();
        foreach (var node in nodes.Values)
        {
            if (node.Source is null) stack.Push((node.Rid, null));
        }
        var reachedRids = new HashSet<long>();
        try
        {
            using var read = repository.Command("SELECT content FROM blob WHERE rid=$r", ("$r", 0L));
            while (stack.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (rid, sourceContent) = stack.Pop();
                var node = nodes[rid];
                // A delta cycle in the table must not turn the walk into an endless one.
                if (!reachedRids.Add(rid)) continue;
                byte[] content;
                try
                {
                    read.Parameters["$r"].Value = rid;
                    repository.Prepare(read);
                    byte[] stored = (byte[])repository.ReadScalar(read)!;
                    byte[] inner = BlobCompression.Decompress(stored, repository.Options.MaxArtifactSize);
                    content = sourceContent is null ? inner : FossilDelta.Apply(sourceContent, inner);
                }
                catch (CorruptContentException ex)
                {
                    problems.Add(new VerifyProblem(rid, node.Hash, ex.Message));
                    continue;
                }
                if (content.Length != node.Size)
                {
                    problems.Add(new VerifyProblem(rid, node.Hash, $"size mismatch: recorded {node.Size}, expands to {content.Length}"));
                }
                else if (node.Source is long source && !node.IsPrivate && nodes[source].IsPrivate)
                {
                    problems.Add(new VerifyProblem(rid, node.Hash, $"public artifact is a delta of private artifact rid {source}"));
                }
                else
                {
                    toHash.Add((node, content), cancellationToken);
                }
                if (children.TryGetValue(rid, out var dependents))
                {
                    foreach (long child in dependents) stack.Push((child, content));
                }
            }
        }
        finally
        {
            toHash.CompleteAdding();
        }
        var (hashedOk, hashProblems) = hashing.GetAwaiter().GetResult();
        verified += hashedOk;
        problems.AddRange(hashProblems);
        // Deltas never reached cannot be expanded: their chain ends at a phantom (a source that
        // never came) or loops. Stock's test-integrity counts each as errors (its content comes
        // out empty: wrong size, wrong hash), and so do we.
        int unexpandable = 0;
        foreach (var node in nodes.Values)
        {
            if (reachedRids.Contains(node.Rid)) continue;
            unexpandable++;
            problems.Add(new VerifyProblem(node.Rid, node.Hash, WhyUnexpandable(node, nodes)));
        }
        return new VerifyReport(verified, unexpandable, problems);
    }

    private static string WhyUnexpandable(Node node, Dictionary<long, Node> nodes)
    {
        var seen = new HashSet<long> { node.Rid };
        for (long? source = node.Source; source is long step; source = nodes[step].Source)
        {
            if (!nodes.ContainsKey(step)) return $"cannot be expanded: its delta chain reaches rid {step}, whose content is missing (a phantom)";
            if (!seen.Add(step)) return $"cannot be expanded: its delta chain loops back to rid {step}";
        }
        return "cannot be expanded: not reached from any full text";
    }
}
