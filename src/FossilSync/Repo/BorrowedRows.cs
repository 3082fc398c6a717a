using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace FossilSync.Repo;

/// <summary>
/// A query read through SQLite's own column pointers: a blob column is lent as a span into
/// SQLite's memory, valid until the next <see cref="Step"/>, so the caller copies it once,
/// straight to where it goes. Microsoft.Data.Sqlite's reader makes an array of every blob it
/// returns and checks each column's type on every read; a clone page reads thousands of
/// blobs that live only until the reply is written.
/// </summary>
internal sealed class BorrowedRows : IDisposable
{
    private const int Row = 100, Done = 101;

    private readonly Repository _repository;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    // The statement's pointer while this query holds a reference on its handle (DirectColumns); zero on raw's calls.
    private readonly nint _direct;

    private BorrowedRows(Repository repository, sqlite3 db, sqlite3_stmt statement)
    {
        _repository = repository;
        _db = db;
        _statement = statement;
        if (!DirectColumns.Available) return;
        bool added = false;
        statement.DangerousAddRef(ref added);
        _direct = statement.DangerousGetHandle();
    }

    /// <summary>Prepares <paramref name="sql"/> on the repository's connection (and so in its open transaction), with <c>?1</c>, <c>?2</c>… bound to <paramref name="args"/>.</summary>
    public static BorrowedRows Query(Repository repository, string sql, params ReadOnlySpan<long> args)
    {
        var db = repository.Connection.Handle ?? throw new InvalidOperationException("the repository's connection is closed.");
        Check(repository, db, raw.sqlite3_prepare_v2(db, sql, out var statement));
        var rows = new BorrowedRows(repository, db, statement);
        try
        {
            for (int i = 0; i < args.Length; i++) Check(repository, db, raw.sqlite3_bind_int64(statement, i + 1, args[i]));
        }
        catch
        {
            rows.Dispose();
            throw;
        }
        return rows;
    }

    /// <summary>Moves to the next row; false after the last.</summary>
    public bool Step()
    {
        int rc = _direct != 0 ? DirectColumns.Step(_direct) : raw.sqlite3_step(_statement);
        if (rc == Row) return true;
        if (rc == Done) return false;
        Check(_repository, _db, rc);
        return false;
    }

    /// <summary>An integer column (NULL is 0).</summary>
    public long Int64(int column) => _direct != 0 ? DirectColumns.Int64(_direct, column) : raw.sqlite3_column_int64(_statement, column);

    /// <summary>A blob column (or a text column's UTF-8; NULL is empty), lent until the next <see cref="Step"/> or <see cref="Dispose"/>.</summary>
    public ReadOnlySpan<byte> Blob(int column) => _direct != 0 ? DirectColumns.Blob(_direct, column) : raw.sqlite3_column_blob(_statement, column);

    public void Dispose()
    {
        if (_direct != 0) _statement.DangerousRelease();
        _statement.Dispose();
    }

    // SQLite's failures come out as the same repository exceptions as through Microsoft.Data.Sqlite.
    private static void Check(Repository repository, sqlite3 db, int rc)
    {
        if (rc == raw.SQLITE_OK) return;
        string message = raw.sqlite3_errmsg(db).utf8_to_string();
        var error = new SqliteException($"SQLite Error {rc}: '{message}'.", rc, raw.sqlite3_extended_errcode(db));
        throw StorageErrors.Translate(error, repository.Path);
    }
}
