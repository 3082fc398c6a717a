namespace FossilSync.Server;

/// <summary>What one committed server round added to a repository (see <see cref="SyncServerOptions.ArtifactsStored"/>).</summary>
/// <param name="ProjectCode">The project of the repository served.</param>
/// <param name="Names">Hash names of the public artifacts stored that the repository did not hold before (phantoms filled count), in arrival order; never empty.</param>
public sealed record SyncStoredArtifacts(string ProjectCode, IReadOnlyList<string> Names);
