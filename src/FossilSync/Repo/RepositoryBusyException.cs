namespace FossilSync.Repo;

/// <summary>
/// Another connection held the repository file's lock for longer than
/// <see cref="RepositoryOptions.BusyTimeout"/> (SQLite's busy or locked). The unit of work that
/// failed was rolled back, or is rolled back when its transaction is disposed: nothing of it is
/// kept, and trying it again later may succeed.
/// </summary>
public sealed class RepositoryBusyException : RepositoryException
{
    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public RepositoryBusyException(string message, Exception? innerException) : base(message, innerException) { }
}
