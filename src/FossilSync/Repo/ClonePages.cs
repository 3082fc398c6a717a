using FossilSync.Primitives;

namespace FossilSync.Repo;

/// <summary>
/// What a clone page is read from: every public, unshunned artifact with content, in rid order
/// (a clone's sequence numbers are rids), as stored, with the name of its delta source.
/// </summary>
internal static class ClonePages
{
    /// <summary>
    /// One stored artifact of a page: its name and envelope as stored and, for a delta, its
    /// source's name (empty for a full artifact) and whether that source is private. The names
    /// are UTF-8, as stored.
    /// </summary>
    internal readonly record struct StoredArtifact(long Rid, ReadOnlyMemory<byte> Hash, long Size, ReadOnlyMemory<byte> Stored, ReadOnlyMemory<byte> SourceHash, bool SourceIsPrivate);

    /// <summary>The highest rid in use: a page that starts past it is the last.</summary>
    public static long LastSequence(Repository repository) => repository.Scalar<long>("SELECT coalesce(max(rid), 0) FROM blob");

    /// <summary>
    /// The artifacts from rid <paramref name="sequence"/> on, their names and stored envelopes
    /// copied into <paramref name="arena"/> (valid while it is); read lazily, so stop when the
    /// page is full.
    /// </summary>
    public static IEnumerable<StoredArtifact> From(Repository repository, long sequence, PooledArena arena)
    {
        // Most repositories hold nothing private or shunned: their pages skip three lookups an artifact.
        bool anyWithheld = repository.Scalar<long>("SELECT EXISTS(SELECT 1 FROM private) OR EXISTS(SELECT 1 FROM shun)") != 0;
        using var mapped = MappedReads.During(repository);
        using var rows = BorrowedRows.Query(repository, anyWithheld ? Withholding : Everything, sequence);
        while (rows.Step())
        {
            yield return new StoredArtifact(
                rows.Int64(0), arena.Copy(rows.Blob(1)), rows.Int64(2), arena.Copy(rows.Blob(3)),
                arena.Copy(rows.Blob(4)), rows.Int64(5) != 0);
        }
    }

    // The one rule of what a page holds, and what it says of a delta's source.
    private const string Withholding = """
        SELECT b.rid, b.uuid, b.size, b.content, s.uuid, coalesce(s.rid IN private, 0)
          FROM blob b LEFT JOIN delta d ON d.rid=b.rid LEFT JOIN blob s ON s.rid=d.srcid
         WHERE b.rid>=?1 AND b.size>=0 AND b.rid NOT IN private
           AND NOT EXISTS(SELECT 1 FROM shun WHERE uuid=b.uuid)
         ORDER BY b.rid
        """;

    // The same with nothing private and nothing shunned.
    private const string Everything = """
        SELECT b.rid, b.uuid, b.size, b.content, s.uuid, 0
          FROM blob b LEFT JOIN delta d ON d.rid=b.rid LEFT JOIN blob s ON s.rid=d.srcid
         WHERE b.rid>=?1 AND b.size>=0
         ORDER BY b.rid
        """;
}
