using FossilSync.Primitives;

namespace FossilSync.Repo.Artifacts;

/// <summary>
/// The caches that make parsing a run of artifacts fast (F-card lines, file names and
/// permissions, recent times), for one crosslink session: a batch of a sync round, a rebuild, a
/// clone's final pass. Dropped with the session, so a long-running server keeps none between
/// rounds. Not thread-safe: one session, one thread.
/// </summary>
internal sealed class ParseSession
{
    /// <summary>F cards already parsed in this session.</summary>
    public FileCardCache Files { get; } = new();

    /// <summary>File names and permissions interned in this session.</summary>
    public StringPool Strings { get; } = new();

    /// <summary>Times rounded through SQL text in this session.</summary>
    public RecentJulianDays Dates { get; } = new();
}
