using Microsoft.Data.Sqlite;

namespace FossilSync.Repo;

/// <summary>
/// One all-or-nothing unit of writes (a sync round, say). Disposing without
/// <see cref="Commit"/> rolls everything back, so an exception leaves the repository exactly
/// as it was.
/// </summary>
public sealed class RepositoryTransaction : IDisposable
{
    private readonly Repository _repository;
    private bool _finished;

    internal RepositoryTransaction(Repository repository, SqliteTransaction transaction, bool deferred = false)
    {
        _repository = repository;
        Transaction = transaction;
        Deferred = deferred;
    }

    internal SqliteTransaction Transaction { get; }

    /// <summary>Whether the write lock is taken only at the first write.</summary>
    internal bool Deferred { get; }

    /// <summary>Makes every write of this transaction permanent.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        Testing.FaultSites.Check(_repository.Options.Faults, Testing.FaultSites.StorageFailsAtCommit);
        try
        {
            Transaction.Commit();
        }
        catch (SqliteException ex)
        {
            throw StorageErrors.Translate(ex, _repository.Path);
        }
        _finished = true;
        _repository.EndTransaction(this, committed: true);
    }

    /// <summary>Rolls back unless committed.</summary>
    public void Dispose()
    {
        if (_finished) return;
        _finished = true;
        try
        {
            Transaction.Rollback();
        }
        finally
        {
            Transaction.Dispose();
            _repository.EndTransaction(this, committed: false);
        }
    }
}
