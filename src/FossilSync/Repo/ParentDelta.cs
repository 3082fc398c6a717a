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
    public static (string SourceHash, byte[] Delta)? TryCreate(Repository repository, long rid, byte[] content, bool allowPrivateSource)
    {
        if (content.Length <= MinimumSize) return null;
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
        if (store.Get(source) is not { } sourceContent) return null;
        byte[] delta = FossilDelta.Create(sourceContent, content);
        return delta.Length < content.Length - MinimumSaving ? (sourceHash, delta) : null;
    }
}
