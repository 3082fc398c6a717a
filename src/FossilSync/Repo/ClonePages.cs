namespace FossilSync.Repo;

/// <summary>
/// What a clone page is read from: every public, unshunned artifact with content, in rid order
/// (a clone's sequence numbers are rids), as stored, with the name of its delta source.
/// </summary>
internal static class ClonePages
{
    /// <summary>One stored artifact of a page: its envelope as stored and, for a delta, its source's name and whether that source is private.</summary>
    internal readonly record struct StoredArtifact(long Rid, string Hash, long Size, byte[] Stored, string? SourceHash, bool SourceIsPrivate);

    /// <summary>The highest rid in use: a page that starts past it is the last.</summary>
    public static long LastSequence(Repository repository) => repository.Scalar<long>("SELECT coalesce(max(rid), 0) FROM blob");

    /// <summary>The artifacts from rid <paramref name="sequence"/> on; read lazily, so stop when the page is full.</summary>
    public static IEnumerable<StoredArtifact> From(Repository repository, long sequence)
    {
        using var cmd = repository.Command("""
            SELECT b.rid, b.uuid, b.size, b.content, s.uuid, s.rid IN private
              FROM blob b LEFT JOIN delta d ON d.rid=b.rid LEFT JOIN blob s ON s.rid=d.srcid
             WHERE b.rid>=$r AND b.size>=0 AND b.rid NOT IN private
               AND NOT EXISTS(SELECT 1 FROM shun WHERE uuid=b.uuid)
             ORDER BY b.rid
            """, ("$r", sequence));
        using var reader = repository.Read(cmd);
        while (reader.Read())
        {
            yield return new StoredArtifact(
                reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), (byte[])reader.GetValue(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), !reader.IsDBNull(5) && reader.GetBoolean(5));
        }
    }
}
