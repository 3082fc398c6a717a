namespace FossilSync.Observability;

/// <summary>What a whole client session moved: the sums of its rounds.</summary>
/// <param name="Rounds">Rounds run.</param>
/// <param name="FilesSent">Artifacts sent.</param>
/// <param name="FilesReceived">Artifacts received and stored.</param>
/// <param name="BytesSent">Request bytes sent.</param>
/// <param name="BytesReceived">Payload bytes received.</param>
/// <param name="GimmesSent"><c>gimme</c> cards sent.</param>
/// <param name="GimmesReceived"><c>gimme</c> cards received.</param>
/// <param name="IGotsSent"><c>igot</c> cards sent.</param>
/// <param name="IGotsReceived"><c>igot</c> cards received.</param>
/// <param name="UnversionedSent">Unversioned files sent.</param>
/// <param name="UnversionedReceived">Unversioned files received.</param>
/// <param name="Errors">Protocol errors seen (fatal or not).</param>
/// <param name="ProjectCode">The project synced (for a clone, as the server named it); null if never learnt.</param>
public sealed record SessionTotals(int Rounds, int FilesSent, int FilesReceived, long BytesSent, long BytesReceived, int GimmesSent, int GimmesReceived, int IGotsSent, int IGotsReceived, int UnversionedSent, int UnversionedReceived, int Errors, string? ProjectCode);
