namespace FossilSync.Sync;

/// <summary>Why a synced table or row was left out of a sync (<see cref="TableSyncError"/>).</summary>
public enum TableSyncErrorKind
{
    /// <summary>The two definitions of the table differ other than by columns added at the end: the table is not synced in this session.</summary>
    IncompatibleSchema,

    /// <summary>The server refused the table's definition (defining or changing it needs admin capability, or it is malformed): the table is not synced in this session.</summary>
    SchemaRefused,

    /// <summary>The server refused one row: the user may not write it (capability or the table's policy).</summary>
    RowRefused,
}
