namespace FossilSync.Observability;

/// <summary>What a session or request exchanges.</summary>
[Flags]
public enum SyncModes
{
    /// <summary>Nothing (yet) known.</summary>
    None = 0,

    /// <summary>Receives artifacts.</summary>
    Pull = 1,

    /// <summary>Sends artifacts.</summary>
    Push = 2,

    /// <summary>Exchanges unversioned files.</summary>
    Unversioned = 4,

    /// <summary>Includes private artifacts.</summary>
    Private = 8,

    /// <summary>Copies a whole repository.</summary>
    Clone = 16,
}
