namespace FossilSync.Repo.Tables;

/// <summary>
/// The synced tables of a repository (<c>repository.Tables</c>): declare one, find one, list
/// them. Rows live in <c>x_NAME</c> tables beside Fossil's own, which stock fossil leaves alone.
/// </summary>
public sealed class SyncedTables
{
    private readonly Repository _repository;
    private readonly TableStore _store;

    internal SyncedTables(Repository repository)
    {
        _repository = repository;
        _store = new TableStore(repository);
    }

    /// <summary>
    /// Declares a table, or returns it when it already exists with this definition. A definition
    /// that adds columns at the end of an existing table's evolves it (existing rows get null);
    /// one the existing table already extends changes nothing.
    /// </summary>
    /// <exception cref="TableSchemaException">Any other change to an existing table (key, policy, owner column, a column's name, type or place).</exception>
    public SyncedTable Define(TableDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        using var scope = _repository.WriteScope();
        var (table, _) = Merge(definition);
        scope.Complete();
        return table;
    }

    /// <summary>The table named <paramref name="name"/>.</summary>
    /// <exception cref="TableSchemaException">No such table.</exception>
    public SyncedTable this[string name] => Find(name) ?? throw new TableSchemaException($"there is no synced table '{name}'.");

    /// <summary>The table named <paramref name="name"/>, or null.</summary>
    public SyncedTable? Find(string name)
    {
        if (!TableNames.IsValidTable(name)) return null;
        using var scope = _repository.ReadScope();
        var definition = _store.Definition(name);
        scope.Complete();
        return definition is null ? null : new SyncedTable(_repository, _store, definition);
    }

    /// <summary>Every synced table, by name.</summary>
    public IReadOnlyList<SyncedTable> List()
    {
        using var scope = _repository.ReadScope();
        var tables = _store.Definitions().Select(d => new SyncedTable(_repository, _store, d)).ToList();
        scope.Complete();
        return tables;
    }

    internal TableStore Store => _store;

    /// <summary>Brings a definition in (ours or a peer's), inside the caller's transaction; says what changed.</summary>
    /// <exception cref="TableSchemaException">The change is incompatible.</exception>
    internal (SyncedTable Table, SchemaChange Change) Merge(TableDefinition definition)
    {
        var current = _store.Definition(definition.Name);
        if (current is null)
        {
            _store.Create(definition);
            return (new SyncedTable(_repository, _store, definition), SchemaChange.AddsColumns);
        }
        switch (current.Compare(definition, out string reason))
        {
            case SchemaChange.Same: return (new SyncedTable(_repository, _store, current), SchemaChange.Same);
            case SchemaChange.LacksColumns: return (new SyncedTable(_repository, _store, current), SchemaChange.LacksColumns);
            case SchemaChange.AddsColumns:
                _store.AddColumns(current, definition);
                return (new SyncedTable(_repository, _store, definition), SchemaChange.AddsColumns);
            default:
                throw new TableSchemaException($"table '{definition.Name}': incompatible schema change refused: {reason}; only columns added at the end can be synced.");
        }
    }
}
