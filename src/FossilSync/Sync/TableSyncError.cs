namespace FossilSync.Sync;

/// <summary>
/// A synced table, or one row of it, that a sync left out while the rest went on: artifacts and
/// other tables are kept. Branch on <see cref="Kind"/>; the message is for people and may change.
/// </summary>
/// <param name="Table">The table's name.</param>
/// <param name="Kind">Why it was left out.</param>
/// <param name="Message">What happened, in words.</param>
/// <param name="PkHash">The refused row's key hash; null when the whole table was left out.</param>
/// <param name="ByServer">True when the server refused; false when this client found the problem.</param>
public sealed record TableSyncError(string Table, TableSyncErrorKind Kind, string Message, string? PkHash = null, bool ByServer = false);
