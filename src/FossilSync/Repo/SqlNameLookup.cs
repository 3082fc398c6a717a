using FossilSync.Primitives;

namespace FossilSync.Repo;

/// <summary>The ordinary <see cref="INameLookup"/>: every question is a query, so it is right whoever else writes the file.</summary>
internal sealed class SqlNameLookup(Repository repository) : INameLookup
{
    public long? FindRid(string hash) => repository.Scalar<long?>("SELECT rid FROM blob WHERE uuid=$u", ("$u", hash));

    public bool IsPhantom(long rid) => repository.Scalar<long>("SELECT count(*) FROM phantom WHERE rid=$r", ("$r", rid)) > 0;

    public bool IsPrivate(long rid) => repository.Scalar<long>("SELECT count(*) FROM private WHERE rid=$r", ("$r", rid)) > 0;

    /// <remarks>Only an explicit <c>hash-policy</c> can shun SHA1, so the derived policy (a scan of blob) is never needed here.</remarks>
    public bool IsShunned(string hash) =>
        (hash.Length == ArtifactHash.Sha1Length && ContentStore.PolicyShunsSha1(repository))
        || repository.Scalar<long>("SELECT count(*) FROM shun WHERE uuid=$u", ("$u", hash)) > 0;

    // The database is the record: nothing to note.
    public void Added(string hash, long rid, bool phantom, bool isPrivate) { }

    public void Filled(long rid) { }

    public void Emptied(long rid) { }

    public void MadePrivate(long rid) { }

    public bool MakingPublic(long rid) => true;

    public void ShunningChanged() { }
}
