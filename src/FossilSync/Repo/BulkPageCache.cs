using FossilSync.Interop;

namespace FossilSync.Repo;

/// <summary>
/// A larger SQLite page cache for one bulk job on a repository (a clone's transfer), given back
/// when disposed. With SQLite's default 2 MB, a large clone re-read and re-wrote the same index
/// pages through the kernel again and again: each artifact's name goes into the name index at a
/// random place, and 120,000 names are some 3,000 pages. 8 MB holds most of them: twice that
/// made a clone of Fossil's own history no faster and its transfer 5-10 MB larger. A rebuild (and a
/// clone's final pass) reads the blob, delta and derived tables' pages as it crosslinks, but
/// its name lookups are answered from memory: more than a few MB of cache (<see cref="ScaledTo"/>)
/// only adds to its peak memory, even on a history of a hundred thousand artifacts.
/// </summary>
/// <remarks>
/// The cache's pages come from the C heap; SQLite frees them when the cache shrinks, but the C
/// heap keeps freed memory for later, and the .NET heap never reuses it. So, on glibc, the freed
/// pages are handed back to the system too (<c>malloc_trim</c>); otherwise a clone's peak memory
/// would carry the transfer's cache into the crosslinking that follows.
/// </remarks>
internal sealed class BulkPageCache : IDisposable
{
    private readonly Repository _repository;
    private readonly long _before;
    private bool _disposed;

    private BulkPageCache(Repository repository, int megabytes)
    {
        _repository = repository;
        _before = repository.Scalar<long>("PRAGMA cache_size");
        // A negative cache_size is in KiB.
        repository.Execute($"PRAGMA cache_size=-{megabytes * 1024}");
    }

    /// <summary>Gives <paramref name="repository"/> a page cache of <paramref name="megabytes"/> until disposed.</summary>
    public static BulkPageCache Use(Repository repository, int megabytes) => new(repository, megabytes);

    /// <summary>
    /// A page cache of an eighth of the repository file, between SQLite's default 2 MB and
    /// 4 MB, until disposed.
    /// </summary>
    public static BulkPageCache ScaledTo(Repository repository)
    {
        long fileBytes = repository.Scalar<long>("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()");
        return Use(repository, (int)Math.Clamp(fileBytes / 8 / (1024 * 1024), 2, 4));
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            _repository.Execute($"PRAGMA cache_size={_before}");
            _repository.Execute("PRAGMA shrink_memory");
        }
        catch (RepositoryException)
        {
            // Only a hint: a failing job's own error is the one to report.
            return;
        }
        LibC.TryReturnFreedMemory();
    }
}
