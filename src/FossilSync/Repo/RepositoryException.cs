namespace FossilSync.Repo;

/// <summary>
/// A file that is not a usable Fossil repository, a repository in a state we cannot work with,
/// or a failure of the database file under it (the SQLite error is the inner exception).
/// </summary>
/// <remarks>
/// <see cref="RepositoryBusyException"/>, a subclass, is the one failure a caller can act on by
/// waiting: another connection held the file's lock.
/// </remarks>
public class RepositoryException : FossilSyncException
{
    /// <summary>Creates the exception with a message.</summary>
    public RepositoryException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public RepositoryException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>
    /// The database engine failed (a failing disk, a damaged file), as opposed to a rule of the
    /// repository saying no: the server lets such a failure reach its host instead of answering
    /// it with an error card, as it did when these were SQLite's own exceptions.
    /// </summary>
    internal bool IsStorageFailure { get; init; }
}
