namespace FossilSync.Repo.Crosslink;

/// <summary>
/// Everything that makes a clone's transfer fast, in one object: a larger page cache
/// (<see cref="BulkPageCache"/>), the name lookups answered from memory (<see cref="NameIndex"/>),
/// artifacts stored unchecked, and the final pass that checks every one of them while it
/// crosslinks, handed the in-memory name table. For a job that is the only writer of a new
/// repository; the protocol code only opens it, stores through it and finishes it.
/// </summary>
/// <remarks>
/// Lives beside the rebuild it ends with (Crosslink depends on Repo, never the other way).
/// Disposing it without <see cref="Finish"/> gives the page cache back and drops the index; the
/// file then holds unchecked artifacts and no timeline, which only a later Finish or rebuild
/// with verification may make whole.
/// </remarks>
internal sealed class BulkLoad : IDisposable
{
    /// <summary>The transfer's page cache (<see cref="BulkPageCache"/> says why this size).</summary>
    internal const int TransferPageCacheMegabytes = 8;

    private readonly Repository _repository;
    private readonly BulkPageCache _pageCache;
    private readonly NameIndex _names;
    private Dictionary<NameKey, long>? _storedNames;
    private bool _transferEnded;

    private BulkLoad(Repository repository)
    {
        _repository = repository;
        // Each artifact's name goes into the name index at a random place; with SQLite's default
        // cache a large clone re-read and re-wrote its pages all along.
        _pageCache = BulkPageCache.Use(repository, TransferPageCacheMegabytes);
        // Nothing else writes the file: half of each artifact's statements were lookups of names
        // the job itself had just stored.
        _names = repository.Content.UseNameIndex();
    }

    /// <summary>Starts a bulk load of <paramref name="repository"/>.</summary>
    public static BulkLoad Begin(Repository repository) => new(repository);

    /// <summary>Artifacts are stored without checking their names: <see cref="Finish"/> checks every one.</summary>
    public bool VerifiesLater => true;

    /// <summary>Call after writing the shun list or the hash policy during the transfer.</summary>
    public void ShunningChanged() => _repository.Content.RefreshShunning();

    /// <summary>The transfer is over: the page cache goes back and the name table is kept for <see cref="Finish"/>.</summary>
    public void EndTransfer()
    {
        if (_transferEnded) return;
        _transferEnded = true;
        _storedNames = _names.TakeRids();
        _pageCache.Dispose();
        // The table grew by doubling while names arrived; the final pass keeps it to its end.
        _storedNames.TrimExcess();
    }

    /// <summary>
    /// The final pass: rebuilds the derived tables, expanding and checking every stored artifact
    /// against its name. Returns how many structural artifacts were linked.
    /// </summary>
    /// <exception cref="Primitives.CorruptContentException">Some artifact does not hash to its name.</exception>
    public int Finish(CancellationToken cancellationToken = default)
    {
        EndTransfer();
        var storedNames = _storedNames;
        _storedNames = null;
        return Rebuilder.Run(_repository, verify: true, cancellationToken, knownNames: storedNames);
    }

    public void Dispose()
    {
        _transferEnded = true;
        _storedNames = null;
        _pageCache.Dispose();
        _names.Dispose();
    }
}
