using FossilSync.Repo;

namespace FossilSync.Sync;

/// <summary>
/// The phantoms a sync session made for names the server only advertised (<c>igot</c>). If
/// the server makes the session fail, those still missing and not needed by anything stored
/// are removed: a server that advertises without ever delivering leaves no trace in the repository.
/// </summary>
/// <remarks>
/// A phantom that a stored delta or a crosslinked artifact refers to stays, as it would have
/// been made by that artifact anyway.
/// </remarks>
internal sealed class SessionPhantoms(Repository repository)
{
    private readonly List<long> _committed = [];
    private readonly List<long> _thisRound = [];

    /// <summary>Notes a phantom made in the round being applied.</summary>
    public void Created(long rid)
    {
        if (rid > 0) _thisRound.Add(rid);
    }

    /// <summary>The round's transaction committed: its phantoms are in the file now.</summary>
    public void RoundCommitted()
    {
        _committed.AddRange(_thisRound);
        _thisRound.Clear();
    }

    /// <summary>The round's transaction rolled back: its phantoms are gone already.</summary>
    public void RoundRolledBack() => _thisRound.Clear();

    /// <summary>Removes the session's phantoms that are still missing and unreferenced; returns how many.</summary>
    public int Forget()
    {
        _thisRound.Clear();
        if (_committed.Count == 0) return 0;
        int forgotten = PhantomCleanup.RemoveUnreferenced(repository, _committed);
        _committed.Clear();
        return forgotten;
    }
}
