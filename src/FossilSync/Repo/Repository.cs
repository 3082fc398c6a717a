using System.Security.Cryptography;
using FossilSync.Primitives;
using Microsoft.Data.Sqlite;

namespace FossilSync.Repo;

/// <summary>
/// A Fossil repository file (<c>.fossil</c>): create one that stock fossil 2.21 opens as its
/// own, or open one stock fossil made. Not thread-safe: use one instance per thread or round.
/// </summary>
/// <remarks>
/// SQLite runs in-process, so the repository API is synchronous; the network layers above it
/// are async. Files are kept in stock's DELETE journal mode, so what we leave on disk is always
/// a complete database stock fossil can read.
/// </remarks>
public sealed class Repository : IDisposable, IAsyncDisposable
{
    private readonly SqliteConnection _db;
    // Storing's and crosslinking's statements together, with room for both.
    private const int MaxCachedStatements = 512;
    private readonly StatementCache _statements;
    private RepositoryTransaction? _transaction;
    private bool _disposed;

    private Repository(string path, SqliteConnection db, RepositoryOptions options)
    {
        Path = path;
        _db = db;
        _statements = new StatementCache(db, MaxCachedStatements);
        Options = options;
        Content = new ContentStore(this);
        Unversioned = new UnversionedFiles(this);
        Users = new RepositoryUsers(this);
        Tables = new Tables.SyncedTables(this);
    }

    /// <summary>Full path of the repository file.</summary>
    public string Path { get; }

    /// <summary>The options this repository was opened with.</summary>
    public RepositoryOptions Options { get; }

    /// <summary>The project code: the identity every peer of this project shares.</summary>
    public string ProjectCode => GetConfig("project-code") ?? throw new RepositoryException($"{Path} has no project-code.");

    /// <summary>This copy's own server code (random per copy), if any.</summary>
    public string? ServerCode => GetConfig("server-code");

    /// <summary>The hash policy from config <c>hash-policy</c> (stock's rule when absent: SHA3 if any SHA3 name or no blobs, else auto).</summary>
    public HashPolicy HashPolicy
    {
        get
        {
            if (int.TryParse(GetConfig("hash-policy"), out int value) && Enum.IsDefined((HashPolicy)value)) return (HashPolicy)value;
            bool anySha3OrEmpty = Scalar<long>("SELECT EXISTS(SELECT 1 FROM blob WHERE length(uuid)>40) OR NOT EXISTS(SELECT 1 FROM blob)") > 0;
            return anySha3OrEmpty ? HashPolicy.Sha3 : HashPolicy.Auto;
        }
    }

    /// <summary>The repository's unversioned files.</summary>
    public UnversionedFiles Unversioned { get; }

    /// <summary>The repository's users and their capabilities.</summary>
    public RepositoryUsers Users { get; }

    /// <summary>Where this repository syncs when no URL is given (recorded by a clone, as stock's is), or null.</summary>
    public SyncRemote? DefaultRemote => SyncRemote.Read(this);

    /// <summary>
    /// Records <paramref name="remote"/> as the default remote, where stock's <c>fossil sync</c>
    /// with no URL (and autosync in a check-out) will go. The password is kept, obscured as stock
    /// keeps it, only when <see cref="SyncRemote.Password"/> is set.
    /// </summary>
    public void RememberRemote(SyncRemote remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        SyncRemote.Write(this, remote);
    }

    /// <summary>The application's own tables kept in the repository file (declared, typed rows with a conflict policy), for extension-table sync.</summary>
    public Tables.SyncedTables Tables { get; }

    internal ContentStore Content { get; }

    internal SqliteConnection Connection => _db;

    /// <summary>Creates a new, empty repository at <paramref name="path"/> with the full fossil 2.21 schema.</summary>
    /// <exception cref="RepositoryException">The file already exists, or cannot be created (missing folder, no permission).</exception>
    public static Repository Create(string path, RepositoryOptions? options = null)
    {
        options ??= new RepositoryOptions();
        path = System.IO.Path.GetFullPath(path);
        if (File.Exists(path)) throw new RepositoryException($"{path} already exists.");
        SqliteConnection db;
        try
        {
            db = Connect(path, options, SqliteOpenMode.ReadWriteCreate);
        }
        catch (SqliteException ex)
        {
            string? folder = System.IO.Path.GetDirectoryName(path);
            string why = folder is not null && !Directory.Exists(folder) ? $"the folder {folder} does not exist" : ex.Message;
            throw new RepositoryException($"cannot create {path}: {why}.", ex);
        }
        var repository = new Repository(path, db, options);
        try
        {
            repository.InitializeNew();
            return repository;
        }
        catch
        {
            repository.Dispose();
            TryDelete(path);
            throw;
        }
    }

    /// <summary>Opens an existing repository, made by us or by stock fossil.</summary>
    /// <exception cref="RepositoryException">The file is missing or is not a Fossil repository.</exception>
    public static Repository Open(string path, RepositoryOptions? options = null)
    {
        options ??= new RepositoryOptions();
        path = System.IO.Path.GetFullPath(path);
        if (!File.Exists(path)) throw new RepositoryException($"{path} does not exist.");
        SqliteConnection db;
        try
        {
            db = Connect(path, options, SqliteOpenMode.ReadWrite);
        }
        catch (SqliteException ex)
        {
            throw new RepositoryException($"{path} is not a Fossil repository: {ex.Message}", ex);
        }
        var repository = new Repository(path, db, options);
        try
        {
            repository.CheckLooksLikeRepository();
            return repository;
        }
        catch
        {
            repository.Dispose();
            throw;
        }
    }

    /// <summary>A config value, or null when the row is absent.</summary>
    public string? GetConfig(string name) =>
        Scalar<object>("SELECT value FROM config WHERE name=$n", ("$n", name)) switch
        {
            null or DBNull => null,
            byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
            var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
        };

    /// <summary>Sets a config value (and its mtime, in seconds since 1970, as stock does).</summary>
    public void SetConfig(string name, string value)
    {
        using var scope = WriteScope();
        Execute("REPLACE INTO config(name, value, mtime) VALUES($n, $v, $m)", ("$n", name), ("$v", value), ("$m", UnixNow()));
        scope.Complete();
    }

    /// <summary>Removes a config row, inside the caller's transaction.</summary>
    internal void RemoveConfig(string name) => Execute("DELETE FROM config WHERE name=$n", ("$n", name));

    /// <summary>Starts an all-or-nothing unit of writes. Only one may be open at a time.</summary>
    /// <exception cref="InvalidOperationException">A transaction is already open.</exception>
    public RepositoryTransaction BeginTransaction() => BeginTransaction(deferred: false);

    /// <summary>
    /// Starts a transaction; a <paramref name="deferred"/> one takes the write lock only at its
    /// first write, so read-only work runs alongside other readers, but that first write fails
    /// with SQLITE_BUSY at once when another writer got in first (the caller retries).
    /// </summary>
    internal RepositoryTransaction BeginTransaction(bool deferred)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_transaction is not null) throw new InvalidOperationException("a repository transaction is already open.");
        // Rejections noted in a unit of work that was rolled back are gone with it.
        Content.DrainRejected();
        // Not deferred, Microsoft.Data.Sqlite begins IMMEDIATE: the write lock is taken up front,
        // so two writers wait for each other instead of failing halfway (busy timeout applies).
        try
        {
            _transaction = new RepositoryTransaction(this, _db.BeginTransaction(deferred), deferred);
        }
        catch (SqliteException ex)
        {
            throw StorageErrors.Translate(ex, Path);
        }
        return _transaction;
    }

    /// <summary>Stores an artifact under the name the hash policy gives it; returns that name.</summary>
    public string PutArtifact(ReadOnlySpan<byte> content)
    {
        using var scope = WriteScope();
        string hash = ArtifactHash.Compute(content, ArtifactHash.KindForNewArtifacts(HashPolicy));
        Content.PutFull(content, hash, new StoreOptions { Local = true });
        scope.Complete();
        return hash;
    }

    /// <summary>Stores an artifact received under <paramref name="hash"/>; rejected unless the content hashes to that name.</summary>
    /// <exception cref="CorruptContentException">The content does not hash to <paramref name="hash"/>.</exception>
    public void PutArtifact(string hash, ReadOnlySpan<byte> content)
    {
        using var scope = WriteScope();
        Content.PutFull(content, hash, new StoreOptions());
        scope.Complete();
    }

    /// <summary>The full content of an artifact, or null when it is absent or only a phantom.</summary>
    public byte[]? GetArtifact(string hash) => Content.FindRid(hash) is long rid ? Content.Get(rid) : null;

    /// <summary>True when the artifact's content is present (not a phantom).</summary>
    public bool HasArtifact(string hash) => Content.FindRid(hash) is long rid && !Content.IsPhantom(rid);

    /// <summary>Names of every artifact whose content is present, in name order.</summary>
    public IReadOnlyList<string> ListArtifacts() => Names("SELECT uuid FROM blob WHERE size>=0 ORDER BY uuid");

    /// <summary>The first column of every row of <paramref name="sql"/>, as text (the name lists of <see cref="NameLists"/>).</summary>
    internal List<string> Names(string sql)
    {
        var names = new List<string>();
        using var cmd = Command(sql);
        using var reader = Read(cmd);
        while (reader.Read()) names.Add(reader.GetString(0));
        return names;
    }

    /// <summary>The first column of every row of <paramref name="sql"/>, as text, read as the caller enumerates them.</summary>
    internal IEnumerable<string> EnumerateNames(string sql)
    {
        using var cmd = Command(sql);
        using var reader = Read(cmd);
        while (reader.Read()) yield return reader.GetString(0);
    }

    /// <summary>
    /// Expands every artifact, re-hashes it and checks its size, as <c>fossil test-integrity</c>
    /// does; returns what was checked and every problem found.
    /// </summary>
    public VerifyReport Verify(CancellationToken cancellationToken = default) => new RepositoryVerifier(this).Run(cancellationToken);

    /// <summary>Closes the file. An open transaction is rolled back.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _transaction?.Dispose();
        try
        {
            // A file left in WAL mode would look truncated to stock fossil (peer lesson 10).
            if (string.Equals(Scalar<string>("PRAGMA journal_mode"), "wal", StringComparison.OrdinalIgnoreCase))
            {
                Execute("PRAGMA wal_checkpoint(TRUNCATE)");
                Execute("PRAGMA journal_mode=DELETE");
            }
        }
        catch (RepositoryException)
        {
            // Not a database after all (Open is failing): there is nothing to checkpoint.
        }
        finally
        {
            _disposed = true;
            _statements.Dispose();
            _db.Dispose();
        }
    }

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    internal void EndTransaction(RepositoryTransaction transaction, bool committed)
    {
        if (ReferenceEquals(_transaction, transaction)) _transaction = null;
        // Cached expansions may belong to rows that no longer exist.
        if (!committed) Content.ForgetCache();
    }

    /// <summary>Joins the open transaction, or opens one that <see cref="Scope.Complete"/> commits.</summary>
    internal Scope WriteScope() => _transaction is null ? new Scope(BeginTransaction()) : default;

    /// <summary>
    /// Joins the open transaction, or opens a deferred one for a run of reads: outside a
    /// transaction each statement takes and drops SQLite's file lock and looks for a hot
    /// journal (four system calls or so), which for the thousands of reads that build a push
    /// request was most of the client's system time.
    /// </summary>
    internal Scope ReadScope() => _transaction is null ? new Scope(BeginTransaction(deferred: true)) : default;

    // A prepared statement for sql, joined to the open transaction and bound to parameters.
    private SqliteCommand Statement(string sql, (string Name, object? Value)[] parameters)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var cmd = _statements.Named(sql, parameters);
        Join(cmd);
        return cmd;
    }

    /// <summary>A prepared statement for <paramref name="sql"/>, joined to the open transaction and bound to <paramref name="args"/> as <c>$1</c>, <c>$2</c>….</summary>
    internal SqliteCommand Statement(string sql, object?[] args)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var cmd = _statements.Positional(sql, args);
        Join(cmd);
        return cmd;
    }

    internal SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        Join(cmd);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    /// <summary>Makes a reusable command join whatever transaction is open now.</summary>
    internal SqliteCommand Prepare(SqliteCommand cmd)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Join(cmd);
        return cmd;
    }

    // Joins the open transaction. In a deferred one, a statement refused a lock gives up after
    // a second instead of retrying for the whole busy timeout: a reader asking to become a
    // writer while another writer waits for it to finish would otherwise stall both.
    private void Join(SqliteCommand cmd)
    {
        cmd.Transaction = _transaction?.Transaction;
        cmd.CommandTimeout = _transaction is { Deferred: true } ? 1 : _db.DefaultTimeout;
    }

    internal int Execute(string sql, params (string Name, object? Value)[] parameters) => Run(Statement(sql, parameters));

    /// <summary>Runs a query on a cached statement; dispose the reader before running the same SQL again.</summary>
    internal SqliteDataReader Query(string sql, params (string Name, object? Value)[] parameters) => Read(Statement(sql, parameters));

    internal T? Scalar<T>(string sql, params (string Name, object? Value)[] parameters)
    {
        object? value = ReadScalar(Statement(sql, parameters));
        if (value is null or DBNull) return default;
        return value is T typed ? typed : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs a command that returns no rows; SQLite's errors come out as <see cref="RepositoryException"/>s.</summary>
    internal int Run(SqliteCommand cmd)
    {
        try
        {
            return cmd.ExecuteNonQuery();
        }
        catch (SqliteException ex)
        {
            throw StorageErrors.Translate(ex, Path);
        }
    }

    /// <summary>Starts reading a command's rows (the first row, and with it the lock, is taken now); SQLite's errors come out as <see cref="RepositoryException"/>s.</summary>
    internal SqliteDataReader Read(SqliteCommand cmd)
    {
        try
        {
            return cmd.ExecuteReader();
        }
        catch (SqliteException ex)
        {
            throw StorageErrors.Translate(ex, Path);
        }
    }

    /// <summary>The first column of a command's first row; SQLite's errors come out as <see cref="RepositoryException"/>s.</summary>
    internal object? ReadScalar(SqliteCommand cmd)
    {
        try
        {
            return cmd.ExecuteScalar();
        }
        catch (SqliteException ex)
        {
            throw StorageErrors.Translate(ex, Path);
        }
    }

    internal long UnixNow() => Options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();

    internal double JulianNow() => JulianDay.FromDateTime(Options.TimeProvider.GetUtcNow().UtcDateTime);

    /// <summary>Gives the pages freed by re-stored content back to the file system (outside any transaction).</summary>
    internal void Vacuum() => Execute("VACUUM");

    internal string RandomHex(int digits) =>
        Options.Random is { } random ? random.GetHexString(digits, lowercase: true) : RandomNumberGenerator.GetHexString(digits, lowercase: true);

    private void InitializeNew()
    {
        // Page size and application id must be set before the first table exists.
        Execute("PRAGMA page_size=4096");
        Execute($"PRAGMA application_id={RepositorySchema.ApplicationId}");
        using var scope = WriteScope();
        Execute(RepositorySchema.ContentTables);
        Execute(RepositorySchema.DerivedTables);
        Execute(RepositorySchema.SeedRows);
        long now = UnixNow();
        foreach (var (name, value) in new (string, string)[]
        {
            ("project-code", RandomHex(40)),
            ("server-code", RandomHex(40)),
            ("content-schema", RepositorySchema.ContentSchema),
            ("aux-schema", RepositorySchema.AuxSchema),
            ("hash-policy", ((int)Options.HashPolicy).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("rebuilt", "FossilSync " + typeof(Repository).Assembly.GetName().Version),
            ("admin-log", "1"),
            ("access-log", "1"),
            ("autosync", "1"),
            ("localauth", "0"),
            ("timeline-plaintext", "1"),
        })
        {
            Execute("INSERT INTO config(name, value, mtime) VALUES($n, $v, $m)", ("$n", name), ("$v", value), ("$m", now));
        }
        string admin = Options.AdminUser ?? DefaultUser();
        Execute("INSERT INTO user(login, pw, cap, info) VALUES($l, $p, 's', '')", ("$l", admin), ("$p", RandomHex(10)));
        Execute("""
            INSERT INTO user(login,pw,cap,info) VALUES('anonymous',$p,'hmnc','Anon');
            INSERT INTO user(login,pw,cap,info) VALUES('nobody','','gjorz','Nobody');
            INSERT INTO user(login,pw,cap,info) VALUES('developer','','ei','Dev');
            INSERT INTO user(login,pw,cap,info) VALUES('reader','','kptw','Reader');
            """, ("$p", RandomHex(16).ToUpperInvariant()));
        if (Options.InitialCheckIn) FossilSync.Repo.InitialCheckIn.Write(this, admin);
        scope.Complete();
    }

    private void CheckLooksLikeRepository()
    {
        foreach (string table in RepositorySchema.RequiredTables)
        {
            long found;
            try
            {
                found = Scalar<long>("SELECT count(*) FROM sqlite_schema WHERE type='table' AND lower(name)=$t", ("$t", table));
            }
            catch (RepositoryException ex)
            {
                throw new RepositoryException($"{Path} is not a Fossil repository: {ex.Message}", ex.InnerException);
            }
            if (found == 0) throw new RepositoryException($"{Path} is not a Fossil repository: it has no '{table}' table.");
        }
    }

    private static SqliteConnection Connect(string path, RepositoryOptions options, SqliteOpenMode mode)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            // Pooled connections would keep the file open after Dispose (peer lesson 11).
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
            // Fossil never enforces its REFERENCES clauses (tagxref.srcid is 0 for propagated
            // tags, rebuild drops referenced tables); the bundled SQLite would.
            ForeignKeys = false,
        };
        var db = new SqliteConnection(builder.ToString());
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"PRAGMA busy_timeout={(long)options.BusyTimeout.TotalMilliseconds}";
        cmd.ExecuteNonQuery();
        return db;
    }

    private static string DefaultUser()
    {
        foreach (string variable in (ReadOnlySpan<string>)["FOSSIL_USER", "USER", "LOGNAME", "USERNAME"])
        {
            string? value = Environment.GetEnvironmentVariable(variable);
            if (!string.IsNullOrWhiteSpace(value)) return value;
        }
        return "root";
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>A write that joins an open transaction or commits its own.</summary>
    internal readonly struct Scope(RepositoryTransaction? owned) : IDisposable
    {
        public void Complete() => owned?.Commit();

        public void Dispose() => owned?.Dispose();
    }
}
