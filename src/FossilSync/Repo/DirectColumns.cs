using System.Runtime.InteropServices;
using SQLitePCL;

namespace FossilSync.Repo;

/// <summary>
/// Steps a statement and reads its columns through SQLite's C functions called on the raw
/// statement pointer. SQLitePCL.raw takes the statement as a <see cref="SafeHandle"/>, and
/// every call adds and drops a reference on it: a clone page makes ten such calls a row, and
/// under stock clones the reference counting stood out in the server's profile. The caller
/// holds one reference for the whole query instead (<see cref="BorrowedRows"/>).
/// Used only while SQLitePCL.raw's provider is the bundled <c>e_sqlite3</c>, the library these
/// functions bind to; with any other provider the statement came from another library, and
/// <see cref="BorrowedRows"/> stays on raw's calls.
/// </summary>
internal static unsafe partial class DirectColumns
{
    private const string Library = "e_sqlite3";

    /// <summary>Whether the connections' SQLite is the library these functions call.</summary>
    public static bool Available { get; } = raw.GetNativeLibraryName() == Library;

    /// <summary>sqlite3_step: may run long (it reads the file), so it makes the usual GC transition.</summary>
    [LibraryImport(Library, EntryPoint = "sqlite3_step")]
    public static partial int Step(nint statement);

    /// <summary>sqlite3_column_int64 of the current row.</summary>
    [LibraryImport(Library, EntryPoint = "sqlite3_column_int64")]
    [SuppressGCTransition]
    public static partial long Int64(nint statement, int column);

    /// <summary>A blob or text column of the current row, as SQLite holds it until the next step.</summary>
    public static ReadOnlySpan<byte> Blob(nint statement, int column)
    {
        // The pointer first: reading it may convert the value, and the length is of what it points at.
        byte* bytes = ColumnBlob(statement, column);
        int length = ColumnBytes(statement, column);
        return bytes is null ? default : new ReadOnlySpan<byte>(bytes, length);
    }

    [LibraryImport(Library, EntryPoint = "sqlite3_column_blob")]
    [SuppressGCTransition]
    private static partial byte* ColumnBlob(nint statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_bytes")]
    [SuppressGCTransition]
    private static partial int ColumnBytes(nint statement, int column);
}
