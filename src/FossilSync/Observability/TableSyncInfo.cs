namespace FossilSync.Observability;

/// <summary>One synced table's exchange within a session or server request.</summary>
/// <param name="SessionId">The <see cref="SyncSessionInfo.Id"/> or <see cref="ServerRequestInfo.Id"/> it belongs to.</param>
/// <param name="Table">The table's name.</param>
public sealed record TableSyncInfo(long SessionId, string Table);

/// <summary>What one synced table's exchange moved.</summary>
/// <param name="RowsSent">Rows sent.</param>
/// <param name="RowsReceived">Rows received and stored.</param>
public sealed record TableSyncStats(int RowsSent, int RowsReceived);
