namespace FossilSync.Repo.Tables;

/// <summary>
/// Who may change a row, and which version wins. Whatever the policy, of two versions of a row
/// the one with the later mtime wins, a tie going to the larger version hash, so every peer
/// ends with the same row whatever the order of syncs.
/// </summary>
public enum ConflictPolicy
{
    /// <summary>Anyone with write capability may change any row.</summary>
    MTimeWins,

    /// <summary>Each user writes only their own rows: the first key column (text) must equal the login user.</summary>
    SelfWrite,

    /// <summary>A row belongs to the user who created it (the <c>_owner</c> column); only that user may change or delete it.</summary>
    OwnerWrite,
}
