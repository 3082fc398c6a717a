namespace FossilSync.Repo;

/// <summary>
/// SQLite reading the repository file through a memory map for one bulk read (a clone page),
/// instead of one <c>pread</c> per page: a page's bytes are then copied once, not twice.
/// Only while the read's transaction holds its lock, so no other connection can shrink the
/// file under the map; put back as it was when disposed (off, unless the caller had it on), so
/// the mapped pages stop counting toward the process's memory. The same scope as
/// <see cref="BulkPageCache"/>'s for the page cache.
/// </summary>
internal sealed class MappedReads : IDisposable
{
    // SQLite maps no more than this (and no more than the file); its compile-time cap may be lower.
    private const long MapBytes = 1L << 30;

    private readonly Repository _repository;
    private readonly long _before;
    private bool _disposed;

    private MappedReads(Repository repository)
    {
        _repository = repository;
        _before = repository.Scalar<long>("PRAGMA mmap_size");
        repository.Execute($"PRAGMA mmap_size={MapBytes}");
    }

    /// <summary>Maps <paramref name="repository"/>'s file until disposed; call inside the read's transaction.</summary>
    public static MappedReads During(Repository repository) => new(repository);

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            _repository.Execute($"PRAGMA mmap_size={_before}");
        }
        catch (RepositoryException)
        {
            // Only a hint: the read's own error, if any, is the one to report.
        }
    }
}
