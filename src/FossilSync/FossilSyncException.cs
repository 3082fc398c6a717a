namespace FossilSync;

/// <summary>
/// Base of every error FossilSync raises on purpose: bad input from a peer or a file,
/// a refused login, a repository that is not what it claims. Catch this to handle all of them.
/// </summary>
public class FossilSyncException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public FossilSyncException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public FossilSyncException(string message, Exception? innerException) : base(message, innerException) { }
}
