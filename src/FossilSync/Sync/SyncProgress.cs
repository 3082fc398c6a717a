namespace FossilSync.Sync;

/// <summary>Where a clone or sync stands after a round.</summary>
/// <param name="Round">Rounds completed.</param>
/// <param name="ArtifactsReceived">Artifacts received so far.</param>
/// <param name="BytesReceived">Payload bytes received so far.</param>
public sealed record SyncProgress(int Round, int ArtifactsReceived, long BytesReceived);
