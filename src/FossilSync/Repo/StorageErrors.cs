using Microsoft.Data.Sqlite;

namespace FossilSync.Repo;

/// <summary>
/// Turns SQLite's exceptions into repository exceptions where Repo runs a statement or ends a
/// transaction, so that no layer above Repo needs to know the database engine.
/// </summary>
internal static class StorageErrors
{
    // SQLITE_BUSY and SQLITE_LOCKED (primary result codes).
    private const int Busy = 5, Locked = 6;

    /// <summary>The repository exception for <paramref name="error"/>, raised on the file at <paramref name="path"/>.</summary>
    public static RepositoryException Translate(SqliteException error, string path) =>
        error.SqliteErrorCode is Busy or Locked
            ? new RepositoryBusyException($"{path} is busy: another connection holds its lock ({error.Message})", error)
            // SQLite's own message, as callers saw it before it was wrapped.
            : new RepositoryException(error.Message, error) { IsStorageFailure = true };
}
