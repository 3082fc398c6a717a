namespace FossilSync.Sync;

/// <summary>What a sync did.</summary>
/// <param name="Rounds">HTTP round trips.</param>
/// <param name="FilesSent">Artifacts sent.</param>
/// <param name="FilesReceived">Artifacts received and stored.</param>
/// <param name="BytesSent">Request bytes sent (uncompressed).</param>
/// <param name="BytesReceived">Payload bytes received.</param>
/// <param name="ArtifactsLinked">Structural artifacts crosslinked into the timeline.</param>
/// <param name="Messages">Texts of <c>message</c> cards the server sent.</param>
/// <param name="CheckInLockConflict">Set when the lock asked for is held by another client.</param>
public sealed record SyncResult(int Rounds, int FilesSent, int FilesReceived, long BytesSent, long BytesReceived, int ArtifactsLinked, IReadOnlyList<string> Messages, CheckInLockConflict? CheckInLockConflict = null)
{
    /// <summary>Rows and deletions of synced tables sent (0 without <see cref="SyncOptions.Tables"/> or against a server that does not speak table sync).</summary>
    public int TableRowsSent { get; init; }

    /// <summary>Rows and deletions of synced tables received and stored.</summary>
    public int TableRowsReceived { get; init; }
}
