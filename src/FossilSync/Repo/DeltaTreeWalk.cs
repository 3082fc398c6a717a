using FossilSync.Primitives;

namespace FossilSync.Repo;

/// <summary>
/// Visits every stored artifact by walking the delta tree down from full texts, expanding each
/// one exactly once from its already expanded source. Used where every artifact must be read
/// (rebuild); far cheaper than expanding each delta chain from scratch.
/// </summary>
internal static class DeltaTreeWalk
{
    /// <summary>Every non-shunned artifact whose chain reaches a full text, with its content, parents before children.</summary>
    /// <exception cref="CorruptContentException">Stored content is damaged.</exception>
    public static IEnumerable<(long Rid, byte[] Content)> Expand(Repository repository, CancellationToken cancellationToken)
    {
        var roots = new List<long>();
        var children = new Dictionary<long, List<long>>();
        using (var cmd = repository.Command("""
            SELECT b.rid, d.srcid FROM blob b LEFT JOIN delta d ON d.rid=b.rid
             WHERE b.size>=0 AND NOT EXISTS(SELECT 1 FROM shun WHERE uuid=b.uuid)
             ORDER BY b.rid
            """))
        using (var reader = cmd.ExecuteReader())
        {
            while (reader.Read())
            {
                long rid = reader.GetInt64(0);
                if (reader.IsDBNull(1)) { roots.Add(rid); continue; }
                long source = reader.GetInt64(1);
                if (!children.TryGetValue(source, out var list)) children[source] = list = [];
                list.Add(rid);
            }
        }
        var stack = new Stack<(long Rid, byte[]? Source)>();
        for (int i = roots.Count - 1; i >= 0; i--) stack.Push((roots[i], null));
        using var read = repository.Command("SELECT content FROM blob WHERE rid=$r", ("$r", 0L));
        while (stack.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (rid, source) = stack.Pop();
            read.Parameters["$r"].Value = rid;
            repository.Prepare(read);
            byte[] inner = BlobCompression.Decompress((byte[])read.ExecuteScalar()!, repository.Options.MaxArtifactSize);
            byte[] content = source is null ? inner : FossilDelta.Apply(source, inner);
            yield return (rid, content);
            if (children.TryGetValue(rid, out var dependents))
            {
                for (int i = dependents.Count - 1; i >= 0; i--) stack.Push((dependents[i], content));
            }
        }
    }
}
