namespace FossilSync.Repo.Crosslink;

/// <summary>
/// Rebuild as an operation on a <see cref="Repository"/>. It lives here, beside the
/// crosslinking it runs, so that Repo does not depend on Repo.Crosslink (Crosslink depends on Repo).
/// </summary>
public static class RepositoryRebuild
{
    /// <summary>
    /// Re-derives the timeline tables (check-in links, file changes, events, tags, leaves)
    /// from the stored artifacts, like the derived-table part of <c>fossil rebuild</c>.
    /// Returns how many structural artifacts were linked.
    /// </summary>
    /// <param name="repository">The repository to rebuild.</param>
    /// <param name="cancellationToken">Stops the rebuild between artifacts; nothing of it is kept.</param>
    public static int Rebuild(this Repository repository, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return Rebuilder.Run(repository, verify: false, cancellationToken);
    }
}
