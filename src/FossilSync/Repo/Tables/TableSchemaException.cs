namespace FossilSync.Repo.Tables;

/// <summary>
/// A synced table's definition is refused: a name outside the allowed pattern or reserved, an
/// unknown type, a bad key, or a change to an existing table that is not the addition of columns.
/// </summary>
public sealed class TableSchemaException : FossilSyncException
{
    /// <summary>Creates the exception with a message.</summary>
    public TableSchemaException(string message) : base(message) { }
}
