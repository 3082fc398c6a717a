using System.Text;

namespace FossilSync.Repo.Tables;

/// <summary>
/// A synced table of a repository: put, get, delete and list its rows. Writes join the
/// repository's open transaction, if any (wrap many puts in one for speed).
/// </summary>
public sealed class SyncedTable
{
    private readonly Repository _repository;
    private readonly TableStore _store;

    internal SyncedTable(Repository repository, TableStore store, TableDefinition definition)
    {
        _repository = repository;
        _store = store;
        Definition = definition;
    }

    internal TableStore Store => _store;

    /// <summary>The table's declaration.</summary>
    public TableDefinition Definition { get; }

    /// <summary>The table's name.</summary>
    public string Name => Definition.Name;

    /// <summary>Number of live rows.</summary>
    public long Count => _store.Count(Definition);

    /// <summary>
    /// Inserts or replaces the row with <paramref name="row"/>'s key. Its mtime is now, or just
    /// after the version it replaces when that one is later (another peer's clock), so a local
    /// write always supersedes what is held here.
    /// </summary>
    /// <param name="row">Values by column; unset columns are null.</param>
    /// <param name="user">Who writes: needed for owner-write tables (it becomes the owner of a new row, and must be the owner of an existing one); for self-write tables, when given, the first key column must equal it.</param>
    /// <exception cref="TableRowException">The row does not fit the table, or the policy forbids the write.</exception>
    public void Put(TableRow row, string? user = null)
    {
        ArgumentNullException.ThrowIfNull(row);
        var values = RowCodec.Values(Definition, row, keyOnly: false);
        using var scope = _repository.WriteScope();
        string pkHash = RowKeyHash.Compute(Definition, values);
        string? owner = WriterFor(pkHash, values, user);
        byte[] json = RowCodec.Json(Definition, values, owner);
        var version = new RowVersion(pkHash, NextMTime(pkHash), RowCodec.VersionHash(json));
        _store.Upsert(Definition, values, owner, version);
        scope.Complete();
    }

    /// <summary>The row with the key in <paramref name="key"/> (key columns only), or null when absent or deleted.</summary>
    /// <exception cref="TableRowException">The key does not fit the table.</exception>
    public TableRow? Get(TableRow key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var values = RowCodec.Values(Definition, key, keyOnly: true);
        using var scope = _repository.ReadScope();
        var found = _store.Row(Definition, RowKeyHash.Compute(Definition, values));
        scope.Complete();
        return found is { } f ? ToRow(f.Values, f.Owner, f.MTime) : null;
    }

    /// <summary>Deletes the row with the key in <paramref name="key"/>; the deletion syncs like a row. Returns false when there was no live row.</summary>
    /// <param name="key">The key columns' values.</param>
    /// <param name="user">Who deletes: for owner-write tables, the row's owner.</param>
    /// <exception cref="TableRowException">The key does not fit the table, or the policy forbids the deletion.</exception>
    public bool Delete(TableRow key, string? user = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var values = RowCodec.Values(Definition, key, keyOnly: true);
        using var scope = _repository.WriteScope();
        string pkHash = RowKeyHash.Compute(Definition, values);
        if (_store.Row(Definition, pkHash) is null) return false;
        string? owner = WriterFor(pkHash, values, user);
        var version = new RowVersion(pkHash, NextMTime(pkHash), RowCodec.DeletionHash(pkHash));
        _store.Tombstone(Definition, RowCodec.Json(Definition, values, owner, keyOnly: true), owner, version);
        scope.Complete();
        return true;
    }

    /// <summary>The live rows, in primary-key order.</summary>
    public IReadOnlyList<TableRow> Rows()
    {
        using var scope = _repository.ReadScope();
        var rows = _store.Rows(Definition).Select(r => ToRow(r.Values, r.Owner, r.MTime)).ToList();
        scope.Complete();
        return rows;
    }

    /// <summary>The hash of the table's schema and every row version, deletions included: equal on two peers exactly when they hold the same table.</summary>
    public string CatalogueHash()
    {
        using var scope = _repository.WriteScope();
        string hash = _store.CatalogueHash(Definition);
        scope.Complete();
        return hash;
    }

    /// <summary>The canonical JSON of a live row (columns in declared order, nulls left out), as peers exchange it.</summary>
    public static string ToJson(TableDefinition definition, TableRow row)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(row);
        return Encoding.UTF8.GetString(RowCodec.Json(definition, RowCodec.Values(definition, row, keyOnly: false), null));
    }

    /// <summary>Reads a row (or a key) from JSON, each value typed by its column: integers exact to 64 bits, blobs as base64.</summary>
    /// <exception cref="TableRowException">The JSON does not fit the table.</exception>
    public static TableRow FromJson(TableDefinition definition, string json, bool keyOnly = false)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var (values, _) = RowCodec.Parse(definition, Encoding.UTF8.GetBytes(json), keyOnly);
        var row = new TableRow();
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is not null) row[definition.Columns[i].Name] = values[i];
        }
        return row;
    }

    // The owner a write keeps, after the policy's checks against the writing user.
    private string? WriterFor(string pkHash, object?[] values, string? user)
    {
        string? existing = _store.OwnerOf(Definition, pkHash);
        switch (Definition.Policy)
        {
            case ConflictPolicy.OwnerWrite:
                if (user is null) throw new TableRowException($"table '{Name}' is owner-write: say which user writes.");
                if (existing is not null && existing != user) throw new TableRowException($"table '{Name}': the row belongs to '{existing}', not '{user}'.");
                return user;
            case ConflictPolicy.SelfWrite:
                if (user is not null && !Equals(values[RowCodec.IndexOf(Definition, Definition.Key[0])], user))
                {
                    throw new TableRowException($"table '{Name}' is self-write: '{user}' may write only rows whose '{Definition.Key[0]}' is '{user}'.");
                }
                break;
        }
        return Definition.HasOwnerColumn ? existing ?? user : null;
    }

    private long NextMTime(string pkHash)
    {
        long now = _store.NowMs();
        // A simulated peer's clock may lag a day behind.
        if (Testing.FaultSites.Fires(_repository.Options.Faults, Testing.FaultSites.StaleRowMTime)) now -= (long)TimeSpan.FromDays(1).TotalMilliseconds;
        return _store.Version(Definition, pkHash) is { } held && held.MTime >= now ? held.MTime + 1 : now;
    }

    private TableRow ToRow(object?[] values, string? owner, long mtime)
    {
        var row = new TableRow { MTime = mtime, Owner = owner };
        for (int i = 0; i < values.Length; i++) row[Definition.Columns[i].Name] = values[i];
        return row;
    }
}
