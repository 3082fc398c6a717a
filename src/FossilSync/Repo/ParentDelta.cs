using FossilSync.Primitives;

namespace FossilSync.Repo;

/// <summary>
/// How stock sends an artifact on push and pull (xfer.c, send_delta_parent): as a delta against
/// its parent, the previous check-in for a manifest or the previous version for a file, when
/// that parent is here, the artifact is over 100 bytes and the delta saves more than 50 bytes.
/// The peer may lack the parent; it then stores the delta behind a phantom and asks for it.
/// </summary>
internal static class ParentDelta
{
    private const int MinimumSize = 100;
    private const int MinimumSaving = 50;

    /// <summary>The parent's hash and the delta, or null to send <paramref name="content"/> whole.</summary>
    /// <param name="repository">Where the parent is looked up.</param>
    /// <param name="rid">The artifact to send.</param>
    /// <param name="content">Its content.</param>
    /// <param name="allowPrivateSource">A private parent may be the source (a private sync).</param>
    /// <param name="expansions">Where the parent is expanded from, if the caller keeps a window; null = the store.</param>
    public static (string SourceHash, byte[] Delta)? TryCreate(Repository repository, long rid, ReadOnlySpan<byte> content, bool allowPrivateSource, ExpansionWindow? expansions = null)
    {
        if (content.Length <= MinimumSize || Parent(repository, rid, allowPrivateSource) is not var (source, sourceHash)) return null;
        if (expansions is null) return repository.Content.Get(source) is { } whole ? Worthwhile(sourceHash, whole, content) : null;
        if (expansions.Get(source) is not { } held) return null;
        try
        {
            return Worthwhile(sourceHash, held.Span, content);
        }
        finally
        {
            held.Release();
        }
    }

    // The parent stock would make the delta against, if it is here and may be used.
    private static (long Rid, string Hash)? Parent(Repository repository, long rid, bool allowPrivateSource)
    {
        long source = repository.Scalar<long>("SELECT pid FROM plink WHERE cid=$r AND NOT EXISTS(SELECT 1 FROM phantom WHERE rid=pid)", ("$r", rid));
        if (source == 0)
        {
            source = repository.Scalar<long>("""
                SELECT pid FROM (SELECT pid, min(mtime) FROM mlink JOIN event ON mlink.mid=event.objid
                                  WHERE fid=$r AND NOT EXISTS(SELECT 1 FROM phantom WHERE rid=pid))
                """, ("$r", rid));
        }
        if (source <= 0) return null;
        var store = repository.Content;
        if (!allowPrivateSource && store.IsPrivate(source)) return null;
        if (store.HashOf(source) is not { } sourceHash || store.IsShunned(sourceHash)) return null;
        return (source, sourceHash);
    }

    private static (string SourceHash, byte[] Delta)? Worthwhile(string sourceHash, ReadOnlySpan<byte> source, ReadOnlySpan<byte> content)
    {
        byte[] delta = FossilDelta.Create(source, content);
        return delta.Length < content.Length - MinimumSaving ? (sourceHash, delta) : null;
    }
}
