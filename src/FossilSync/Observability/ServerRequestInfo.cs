namespace FossilSync.Observability;

/// <summary>One request to the server, as known when it arrives.</summary>
/// <param name="Id">Unique in the process (shared with client sessions).</param>
/// <param name="ProjectCode">The project of the repository served.</param>
/// <param name="RemoteAddress">The client's address; null when the transport cannot say.</param>
/// <param name="BytesIn">The request body's size as it travelled.</param>
public sealed record ServerRequestInfo(long Id, string ProjectCode, string? RemoteAddress, long BytesIn);
