namespace FossilSync.Observability;

/// <summary>What a client session is, as known when it starts.</summary>
/// <param name="Id">Unique in the process (shared with server requests): keeps concurrent sessions apart in a shared observer.</param>
/// <param name="Kind">Clone or sync.</param>
/// <param name="Modes">Push, pull, unversioned, private, clone.</param>
/// <param name="ProjectCode">The project synced; null for a clone until the server names it.</param>
/// <param name="PeerId">The peer as the transport reaches it (its URL without credentials); null when the transport cannot say.</param>
public sealed record SyncSessionInfo(long Id, SyncSessionKind Kind, SyncModes Modes, string? ProjectCode, string? PeerId)
{
    /// <summary>The operation's name in spans and metrics: clone, sync, pull or push.</summary>
    public string Operation => Kind == SyncSessionKind.Clone ? "clone" : (Modes & (SyncModes.Pull | SyncModes.Push)) switch
    {
        SyncModes.Pull => "pull",
        SyncModes.Push => "push",
        _ => "sync",
    };
}
