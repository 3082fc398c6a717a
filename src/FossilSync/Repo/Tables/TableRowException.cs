namespace FossilSync.Repo.Tables;

/// <summary>
/// A row is refused: an unknown column, a value of the wrong type, a missing key value, or a
/// write the table's policy does not allow (a row owned by another user).
/// </summary>
public sealed class TableRowException : FossilSyncException
{
    /// <summary>Creates the exception with a message.</summary>
    public TableRowException(string message) : base(message) { }
}
