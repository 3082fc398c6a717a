using FossilSync.Primitives;

namespace FossilSync.Repo;

/// <summary>
/// What <see cref="ContentStore"/> asks the database about each artifact it stores (the rid of
/// a name, whether it is a phantom or private, whether it is shunned), answered from memory. For
/// a session that is the only writer of its repository and stores a great many artifacts: a
/// clone, whose every artifact took some ten statements of which half were these lookups.
/// </summary>
/// <remarks>
/// Loaded whole when the store starts using it, then kept up to date by the store itself. What
/// the store does not write, the holder must report: after writing the shun list or the hash
/// policy, <see cref="ContentStore.RefreshShunning"/>. A rolled-back transaction drops the index
/// (the store goes back to asking the database); so does disposing it.
/// </remarks>
internal sealed class NameIndex : INameLookup, IDisposable
{
    private readonly ContentStore _store;
    private readonly Repository _repository;
    private Dictionary<NameKey, long> _rids = [];
    private readonly HashSet<long> _phantoms;
    private readonly HashSet<long> _private;
    private HashSet<string> _shunned = [];
    private bool _shunSha1;

    private NameIndex(ContentStore store, Repository repository)
    {
        _store = store;
        _repository = repository;
        _rids.EnsureCapacity((int)repository.Scalar<long>("SELECT count(*) FROM blob"));
        using (var reader = repository.Query("SELECT uuid, rid FROM blob"))
        {
            while (reader.Read())
            {
                if (NameKey.TryCreate(reader.GetString(0), out var key)) _rids[key] = reader.GetInt64(1);
            }
        }
        _phantoms = Rids(repository, "SELECT rid FROM phantom");
        _private = Rids(repository, "SELECT rid FROM private");
        RefreshShunning(repository);
    }

    /// <summary>Reads the repository's names, phantoms, private rids and shun list.</summary>
    public static NameIndex Load(ContentStore store, Repository repository) => new(store, repository);

    /// <summary>The store stops using this index.</summary>
    public void Dispose() => _store.StopUsing(this);

    /// <summary>
    /// Ends the index and hands over its table of every name (phantoms included) to rid, keyed
    /// as a crosslink session keys it: a clone's final pass needs exactly that table, and
    /// building a second one from the database cost time and a second copy in memory.
    /// </summary>
    public Dictionary<NameKey, long> TakeRids()
    {
        Dispose();
        var rids = _rids;
        _rids = [];
        return rids;
    }

    /// <summary>The rid of a name, or null (a malformed name is never stored).</summary>
    public long? FindRid(string hash) => NameKey.TryCreate(hash, out var key) && _rids.TryGetValue(key, out long rid) ? rid : null;

    public bool IsPhantom(long rid) => _phantoms.Contains(rid);

    public bool IsPrivate(long rid) => _private.Contains(rid);

    public bool IsShunned(string hash) => (_shunSha1 && hash.Length == ArtifactHash.Sha1Length) || _shunned.Contains(hash);

    public void Added(string hash, long rid, bool phantom, bool isPrivate)
    {
        if (NameKey.TryCreate(hash, out var key)) _rids[key] = rid;
        if (phantom) _phantoms.Add(rid);
        if (isPrivate) _private.Add(rid);
    }

    public void Filled(long rid) => _phantoms.Remove(rid);

    public void Emptied(long rid) => _phantoms.Add(rid);

    public void MadePrivate(long rid) => _private.Add(rid);

    public bool MakingPublic(long rid) => _private.Remove(rid);

    public void ShunningChanged() => RefreshShunning(_repository);

    /// <summary>Reads the shun list and the hash policy again.</summary>
    public void RefreshShunning(Repository repository)
    {
        _shunned = [.. repository.Names("SELECT uuid FROM shun")];
        _shunSha1 = ContentStore.PolicyShunsSha1(repository);
    }

    private static HashSet<long> Rids(Repository repository, string sql)
    {
        var rids = new HashSet<long>();
        using var reader = repository.Query(sql);
        while (reader.Read()) rids.Add(reader.GetInt64(0));
        return rids;
    }
}
