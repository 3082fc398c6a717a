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
    /// <summary>Unversioned files sent.</summary>
    public int UnversionedSent { get; init; }

    /// <summary>Unversioned files received.</summary>
    public int UnversionedReceived { get; init; }

    /// <summary><c>gimme</c> cards sent: artifacts asked for.</summary>
    public int GimmesSent { get; init; }

    /// <summary>The peer synced with (its URL without credentials); null when the transport cannot say.</summary>
    public string? PeerId { get; init; }

    /// <summary>Errors that did not end the sync, in order.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>
    /// The server's reason when it refused the push and went on pull-only (stock's
    /// <c>pull only - not authorized to push</c>: the user lacks the write capability); null when
    /// nothing was refused. <see cref="SyncOptions.ThrowOnRefusal"/> makes this an exception.
    /// </summary>
    public string? PushRefusal { get; init; }

    /// <summary>Whether the server refused the push (see <see cref="PushRefusal"/>): nothing local reached it.</summary>
    public bool PushRefused => PushRefusal is not null;

    /// <summary>Rows and deletions of synced tables sent (0 without <see cref="SyncOptions.Tables"/> or against a server that does not speak table sync).</summary>
    public int TableRowsSent { get; init; }

    /// <summary>Rows and deletions of synced tables received and stored.</summary>
    public int TableRowsReceived { get; init; }

    /// <summary>
    /// Synced tables and rows left out while the rest of the sync went on: a definition
    /// incompatible with the server's or refused by it, a row the server refused. Their texts are
    /// also in <see cref="Errors"/>.
    /// </summary>
    public IReadOnlyList<TableSyncError> TableErrors { get; init; } = [];
}
