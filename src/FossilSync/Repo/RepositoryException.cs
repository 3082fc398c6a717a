namespace FossilSync.Repo;

/// <summary>A file that is not a usable Fossil repository, or a repository in a state we cannot work with.</summary>
public sealed class RepositoryException : FossilSyncException
{
    /// <summary>Creates the exception with a message.</summary>
    public RepositoryException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public RepositoryException(string message, Exception? innerException) : base(message, innerException) { }
}
