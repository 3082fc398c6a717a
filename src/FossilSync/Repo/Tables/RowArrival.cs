namespace FossilSync.Repo.Tables;

/// <summary>What became of a version of a row that a peer sent.</summary>
internal enum RowArrival
{
    /// <summary>Newer than what was held: stored.</summary>
    Stored,

    /// <summary>Not newer than what was held: nothing changed.</summary>
    NotNewer,

    /// <summary>The writer may not write it; nothing changed.</summary>
    Refused,
}
