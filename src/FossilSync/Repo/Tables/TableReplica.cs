using System.Text;

namespace FossilSync.Repo.Tables;

/// <summary>
/// The rules by which two peers' copies of the synced tables meet, the same for client and
/// server: which tables there are and their catalogue hashes, every version a table holds, the
/// bytes of a version to send, and how a version that arrives is taken: its key must hash to the
/// name it came under, its version hash is computed here (never trusted), it is kept only when it
/// is newer than what is held, and a server's writer must be allowed by the table's policy.
/// </summary>
/// <remarks>Runs inside the caller's transaction.</remarks>
internal sealed class TableReplica(Repository repository)
{
    private TableStore Store => repository.Tables.Store;

    /// <summary>Every table with the hash of its catalogue, by name.</summary>
    public IReadOnlyList<(TableDefinition Definition, string CatalogueHash)> Tables() =>
        [.. Store.Definitions().Select(d => (d, Store.CatalogueHash(d)))];

    /// <summary>The table named <paramref name="name"/>, or null (also for a name no table may have).</summary>
    public TableDefinition? Find(string name) => TableNames.IsValidTable(name) ? Store.Definition(name) : null;

    /// <summary>The catalogue hash of a table held here.</summary>
    public string CatalogueHash(TableDefinition definition) => Store.CatalogueHash(definition);

    /// <summary>The canonical JSON of a definition, as <c>xschema</c> carries it.</summary>
    public static byte[] DefinitionJson(TableDefinition definition) => Encoding.UTF8.GetBytes(definition.ToJson());

    /// <summary>A peer's definition, read and checked (name, types, key); nothing is stored.</summary>
    /// <exception cref="TableSchemaException">The name is not allowed or the definition is malformed.</exception>
    public static TableDefinition ReadDefinition(string name, ReadOnlyMemory<byte> json) => TableDefinition.FromJson(name, json);

    /// <summary>How a peer's definition relates to ours (<see cref="SchemaChange.AddsColumns"/> when we lack the table).</summary>
    public SchemaChange Compare(TableDefinition theirs, out string reason)
    {
        reason = "";
        return Store.Definition(theirs.Name) is { } ours ? ours.Compare(theirs, out reason) : SchemaChange.AddsColumns;
    }

    /// <summary>Creates or evolves a table to a peer's definition.</summary>
    /// <exception cref="TableSchemaException">The change is incompatible.</exception>
    public TableDefinition Adopt(TableDefinition theirs) => repository.Tables.Merge(theirs).Table.Definition;

    /// <summary>Every version held, live rows and deletions, in key-hash order.</summary>
    public IReadOnlyList<RowVersion> Versions(TableDefinition definition) => Store.Catalogue(definition);

    /// <summary>At most <paramref name="limit"/> versions with a key hash after <paramref name="after"/> (empty: from the first) and at most <paramref name="upTo"/>, in key-hash order.</summary>
    public IReadOnlyList<RowVersion> Versions(TableDefinition definition, string after, string upTo, int limit) => Store.Catalogue(definition, after, upTo, limit);

    /// <summary>The version held of one row, or null.</summary>
    public RowVersion? Version(TableDefinition definition, string pkHash) => Store.Version(definition, pkHash);

    /// <summary>What to send for a row: its mtime, whether it is a deletion, and its JSON (the key's for a deletion); null when nothing is held.</summary>
    public (long MTime, bool Deleted, byte[] Json)? Export(TableDefinition definition, string pkHash)
    {
        if (Store.Row(definition, pkHash) is { } row) return (row.MTime, false, RowCodec.Json(definition, row.Values, row.Owner));
        if (Store.Deletion(definition, pkHash) is { } deletion) return (deletion.MTime, true, Encoding.UTF8.GetBytes(deletion.KeyJson));
        return null;
    }

    /// <summary>Takes a version a peer sent when it is newer than ours and <paramref name="writer"/> (null: trusted) may write it.</summary>
    /// <param name="definition">The table.</param>
    /// <param name="pkHash">The key hash the version came under.</param>
    /// <param name="mtime">Its mtime.</param>
    /// <param name="deleted">It is a deletion (<paramref name="json"/> is then the key).</param>
    /// <param name="json">The row's JSON.</param>
    /// <param name="writer">Who sent it, for a server; null for a client taking its server's rows.</param>
    /// <param name="refusal">Why a refused version was refused.</param>
    /// <exception cref="TableRowException">The JSON does not fit the table, or its key does not hash to <paramref name="pkHash"/>.</exception>
    public RowArrival Receive(TableDefinition definition, string pkHash, long mtime, bool deleted, ReadOnlyMemory<byte> json, TableWriter? writer, out string refusal)
    {
        refusal = "";
        var (values, owner) = RowCodec.Parse(definition, json, keyOnly: deleted);
        string computed = RowKeyHash.Compute(definition, values);
        if (computed != pkHash) throw new TableRowException($"table '{definition.Name}': a row sent as {pkHash} has the key of {computed}.");
        string vhash = deleted ? RowCodec.DeletionHash(pkHash) : RowCodec.VersionHash(RowCodec.Json(definition, values, owner));
        var arriving = new RowVersion(pkHash, mtime, vhash);
        if (!arriving.IsNewerThan(Store.Version(definition, pkHash))) return RowArrival.NotNewer;
        if (writer is not null && Forbidden(definition, pkHash, values, owner, writer) is { } why)
        {
            refusal = $"table '{definition.Name}': row {pkHash} refused: {why}.";
            return RowArrival.Refused;
        }
        if (deleted) Store.Tombstone(definition, RowCodec.Json(definition, values, owner, keyOnly: true), owner, arriving);
        else Store.Upsert(definition, values, owner, arriving);
        return RowArrival.Stored;
    }

    // The policy's word on a peer's write; null when it is allowed. An admin relays anyone's
    // rows (a hub syncing with another hub); nobody changes who owns a row.
    private string? Forbidden(TableDefinition definition, string pkHash, object?[] values, string? owner, TableWriter writer)
    {
        if (!writer.MayWrite) return "not authorized to write";
        string? held = Store.OwnerOf(definition, pkHash);
        if (definition.HasOwnerColumn && held is not null && owner != held) return $"the row belongs to '{held}'";
        if (writer.IsAdmin) return null;
        switch (definition.Policy)
        {
            case ConflictPolicy.OwnerWrite when owner is null || owner != writer.User:
                return $"an owner-write row is written only by its owner ('{owner}'), not '{writer.User}'";
            case ConflictPolicy.SelfWrite when !Equals(values[RowCodec.IndexOf(definition, definition.Key[0])], writer.User):
                return $"a self-write row is written only by the user its '{definition.Key[0]}' names, not '{writer.User}'";
        }
        return null;
    }
}
