namespace FossilSync.Repo;

/// <summary>
/// The queries that list artifact names for a sync round (what to announce, ask for or send
/// unasked). Each walks a small bookkeeping table and looks each row up in <c>blob</c>: the
/// CROSS JOIN keeps SQLite from choosing the other order, a scan of <c>blob</c> that reads every
/// artifact's content (it did, for <c>WHERE b.size&gt;=0</c>: on a 5 GB history that was most of
/// a no-op sync, on both the client and the server). Sync and Server ask through the methods
/// below; the SQL text is kept visible for the tests of each query's plan.
/// </summary>
internal static class NameLists
{
    /// <summary>Made here since the last push (<c>unsent</c>), with content.</summary>
    public const string Unsent = "SELECT b.uuid FROM unsent u CROSS JOIN blob b ON b.rid=u.rid WHERE b.size>=0";

    /// <summary>
    /// Public unclustered artifacts with content: a client's <c>igot</c> list, in name order as
    /// stock's client sends it (the server asks for what it lacks in this order, and stock's
    /// server verifies and crosslinks a push received in name order faster than in rid order).
    /// </summary>
    public const string PublicUnclustered = "SELECT b.uuid FROM unclustered u CROSS JOIN blob b ON b.rid=u.rid WHERE b.size>=0 AND u.rid NOT IN private ORDER BY b.uuid";

    /// <summary>Public unclustered, unshunned artifacts with content: a server's <c>igot</c> list, in name order as stock's.</summary>
    public const string AnnouncedUnclustered = "SELECT b.uuid FROM unclustered u CROSS JOIN blob b ON b.rid=u.rid"
        + " WHERE b.size>=0 AND b.rid NOT IN private AND NOT EXISTS(SELECT 1 FROM shun WHERE uuid=b.uuid) ORDER BY b.uuid";

    /// <summary>Unclustered, unshunned artifacts that are not phantoms, in name order: the members of new clusters.</summary>
    public const string ClusterMembers = "SELECT b.uuid FROM unclustered u CROSS JOIN blob b ON b.rid=u.rid"
        + " WHERE NOT EXISTS(SELECT 1 FROM phantom WHERE rid=u.rid) AND NOT EXISTS(SELECT 1 FROM shun WHERE uuid=b.uuid) ORDER BY 1";

    /// <summary>Every public, unshunned artifact with content: what a server advertises to a clone by protocol 1.</summary>
    public const string AnnouncedToCloner = "SELECT b.uuid FROM blob b WHERE b.size>=0 AND b.rid NOT IN private AND NOT EXISTS(SELECT 1 FROM shun WHERE uuid=b.uuid)";

    /// <summary>Private artifacts with content.</summary>
    public const string Private = "SELECT b.uuid FROM private p CROSS JOIN blob b ON b.rid=p.rid WHERE b.size>=0";

    /// <summary>Phantoms (names whose content is wanted), private ones only when <paramref name="includePrivate"/>.</summary>
    public static string Phantoms(int limit, bool includePrivate) =>
        $"SELECT b.uuid FROM phantom p CROSS JOIN blob b ON b.rid=p.rid {(includePrivate ? "" : "WHERE p.rid NOT IN private ")}LIMIT {limit}";

    /// <summary>The names of <see cref="Unsent"/>.</summary>
    public static List<string> ListUnsent(Repository repository) => repository.Names(Unsent);

    /// <summary>The names of <see cref="PublicUnclustered"/>, in name order.</summary>
    public static List<string> ListPublicUnclustered(Repository repository) => repository.Names(PublicUnclustered);

    /// <summary>The names of <see cref="Private"/>.</summary>
    public static List<string> ListPrivate(Repository repository) => repository.Names(Private);

    /// <summary>The names of <see cref="ClusterMembers"/>, in name order.</summary>
    public static List<string> ListClusterMembers(Repository repository) => repository.Names(ClusterMembers);

    /// <summary>Up to <paramref name="limit"/> names of <see cref="Phantoms"/>.</summary>
    public static List<string> ListPhantoms(Repository repository, int limit, bool includePrivate) => repository.Names(Phantoms(limit, includePrivate));

    /// <summary>
    /// What a server announces: <see cref="AnnouncedToCloner"/> to a clone by protocol 1, else
    /// <see cref="AnnouncedUnclustered"/>. Read as it is enumerated (the whole repository, for a
    /// clone), so the caller must not write to the repository before it is done.
    /// </summary>
    public static IEnumerable<string> EnumerateAnnounced(Repository repository, bool toCloner) =>
        repository.EnumerateNames(toCloner ? AnnouncedToCloner : AnnouncedUnclustered);
}
