namespace FossilSync.Sync;

/// <summary>
/// What a clone does with an interrupted clone's partial file (<c>TARGET.fossilsync-partial</c>)
/// and what a failed clone leaves behind.
/// </summary>
public enum CloneResume
{
    /// <summary>
    /// Continues a partial file from the same server URL and project from its last stored round;
    /// discards any other and starts clean. A failed or cancelled clone that got past its first
    /// rounds keeps its partial file for the next run.
    /// </summary>
    Automatic,

    /// <summary>Always starts clean, discarding any partial file; a failed clone leaves no file at all.</summary>
    Never,

    /// <summary>As <see cref="Automatic"/>, but fails when there is no partial file from the same server URL to continue.</summary>
    Required,
}
