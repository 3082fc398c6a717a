namespace FossilSync.Sync;

/// <summary>
/// A request to lock a check-in before committing on top of it (stock's autosync does this),
/// so two clients are warned before they fork the same branch. <see cref="ClientId"/> is
/// 40 random lowercase hex digits, kept by the caller for the later unlock.
/// </summary>
public sealed record CheckInLockRequest(string ParentHash, string ClientId);

/// <summary>Another client holds the lock: who, and since when (Unix seconds).</summary>
public sealed record CheckInLockConflict(string User, long LockedSince);
