using System.Text;
using System.Text.Json;

namespace FossilSync.Repo.Tables;

/// <summary>
/// The declaration of a synced table: its name, typed columns, primary key, conflict policy and
/// whether rows carry an owner. Validated when made; its canonical JSON is what peers exchange
/// and hash, so two peers with equal definitions produce equal bytes.
/// </summary>
public sealed class TableDefinition
{
    private const int MaxColumns = 200;

    /// <summary>Declares a table.</summary>
    /// <param name="name">The table's name (its rows live in <c>x_</c>NAME).</param>
    /// <param name="columns">The columns, in order.</param>
    /// <param name="key">The primary-key columns, in order.</param>
    /// <param name="policy">Who may write a row and which version wins.</param>
    /// <param name="ownerColumn">Keep the writing user in an <c>_owner</c> column (always so for <see cref="ConflictPolicy.OwnerWrite"/>).</param>
    /// <exception cref="TableSchemaException">A name, the key or the policy's needs are not met.</exception>
    public TableDefinition(string name, IEnumerable<TableColumn> columns, IEnumerable<string> key, ConflictPolicy policy = ConflictPolicy.MTimeWins, bool ownerColumn = false)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(key);
        TableNames.CheckTable(name);
        Name = name;
        Columns = [.. columns];
        Key = [.. key];
        Policy = Enum.IsDefined(policy) ? policy : throw new TableSchemaException($"table '{name}': unknown conflict policy {(int)policy}.");
        HasOwnerColumn = ownerColumn || policy == ConflictPolicy.OwnerWrite;
        if (Columns.Count == 0) throw new TableSchemaException($"table '{name}' needs at least one column.");
        if (Columns.Count > MaxColumns) throw new TableSchemaException($"table '{name}' has more than {MaxColumns} columns.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in Columns)
        {
            ArgumentNullException.ThrowIfNull(column);
            TableNames.CheckColumn(column.Name, name);
            if (!Enum.IsDefined(column.Type)) throw new TableSchemaException($"column '{column.Name}' of table '{name}' has an unknown type.");
            if (!seen.Add(column.Name)) throw new TableSchemaException($"table '{name}' declares column '{column.Name}' twice.");
        }
        if (Key.Count == 0) throw new TableSchemaException($"table '{name}' needs a primary key.");
        if (Key.Distinct(StringComparer.Ordinal).Count() != Key.Count) throw new TableSchemaException($"table '{name}' names a key column twice.");
        foreach (string k in Key)
        {
            if (!seen.Contains(k)) throw new TableSchemaException($"key column '{k}' is not a column of table '{name}'.");
        }
        if (policy == ConflictPolicy.SelfWrite && Column(Key[0])!.Type != ColumnType.Text)
        {
            throw new TableSchemaException($"table '{name}' is self-write: its first key column '{Key[0]}' holds the writing user, so it must be text.");
        }
    }

    /// <summary>The table's name.</summary>
    public string Name { get; }

    /// <summary>The declared columns, in order.</summary>
    public IReadOnlyList<TableColumn> Columns { get; }

    /// <summary>The primary-key columns, in order.</summary>
    public IReadOnlyList<string> Key { get; }

    /// <summary>Who may write a row.</summary>
    public ConflictPolicy Policy { get; }

    /// <summary>True when rows carry the user who wrote them first (<c>_owner</c>).</summary>
    public bool HasOwnerColumn { get; }

    /// <summary>The column named <paramref name="name"/>, or null.</summary>
    public TableColumn? Column(string name) => Columns.FirstOrDefault(c => c.Name == name);

    /// <summary>The policy's word on the command line and on the wire.</summary>
    public static string PolicyName(ConflictPolicy policy) => policy switch
    {
        ConflictPolicy.MTimeWins => "mtime-wins",
        ConflictPolicy.SelfWrite => "self-write",
        ConflictPolicy.OwnerWrite => "owner-write",
        _ => throw new ArgumentOutOfRangeException(nameof(policy)),
    };

    /// <summary>The policy a word names.</summary>
    /// <exception cref="TableSchemaException">No policy has that name.</exception>
    public static ConflictPolicy ParsePolicy(string word) => word switch
    {
        "mtime-wins" => ConflictPolicy.MTimeWins,
        "self-write" => ConflictPolicy.SelfWrite,
        "owner-write" => ConflictPolicy.OwnerWrite,
        _ => throw new TableSchemaException($"unknown conflict policy '{word}': use mtime-wins, self-write or owner-write."),
    };

    /// <summary>The type's word on the command line and on the wire.</summary>
    public static string TypeName(ColumnType type) => type switch
    {
        ColumnType.Text => "text",
        ColumnType.Integer => "integer",
        ColumnType.Real => "real",
        ColumnType.Blob => "blob",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>The type a word names.</summary>
    /// <exception cref="TableSchemaException">No type has that name.</exception>
    public static ColumnType ParseType(string word) => word switch
    {
        "text" => ColumnType.Text,
        "integer" => ColumnType.Integer,
        "real" => ColumnType.Real,
        "blob" => ColumnType.Blob,
        _ => throw new TableSchemaException($"unknown column type '{word}': use text, integer, real or blob."),
    };

    /// <summary>The canonical JSON: what the registry keeps, the <c>schema</c> card carries and the catalogue hash covers.</summary>
    internal string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("columns");
            foreach (var c in Columns)
            {
                w.WriteStartArray();
                w.WriteStringValue(c.Name);
                w.WriteStringValue(TypeName(c.Type));
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteStartArray("key");
            foreach (string k in Key) w.WriteStringValue(k);
            w.WriteEndArray();
            w.WriteString("policy", PolicyName(Policy));
            w.WriteBoolean("owner", HasOwnerColumn);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads a definition from its JSON (a peer's <c>schema</c> card or the registry).</summary>
    /// <exception cref="TableSchemaException">The JSON is malformed or declares something not allowed.</exception>
    internal static TableDefinition FromJson(string name, ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var columns = root.GetProperty("columns").EnumerateArray().Select(c =>
            {
                if (c.GetArrayLength() != 2) throw new TableSchemaException($"table '{name}': a column is [name, type].");
                return new TableColumn(c[0].GetString()!, ParseType(c[1].GetString()!));
            }).ToList();
            var key = root.GetProperty("key").EnumerateArray().Select(k => k.GetString()!).ToList();
            var policy = ParsePolicy(root.GetProperty("policy").GetString()!);
            bool owner = root.GetProperty("owner").GetBoolean();
            return new TableDefinition(name, columns, key, policy, owner);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            throw new TableSchemaException($"table '{name}': the definition is not valid JSON of a table ({ex.Message}).");
        }
    }

    /// <summary>How <paramref name="other"/> (a definition of the same table) relates to this one.</summary>
    internal SchemaChange Compare(TableDefinition other, out string reason)
    {
        reason = "";
        if (ToJson() == other.ToJson()) return SchemaChange.Same;
        if (!Key.SequenceEqual(other.Key)) reason = $"the primary key differs ({string.Join(',', Key)} here, {string.Join(',', other.Key)} there)";
        else if (Policy != other.Policy) reason = $"the conflict policy differs ({PolicyName(Policy)} here, {PolicyName(other.Policy)} there)";
        else if (HasOwnerColumn != other.HasOwnerColumn) reason = "one side keeps an owner column and the other does not";
        else if (other.Columns.Count > Columns.Count && other.Columns.Take(Columns.Count).SequenceEqual(Columns)) return SchemaChange.AddsColumns;
        else if (Columns.Count > other.Columns.Count && Columns.Take(other.Columns.Count).SequenceEqual(other.Columns)) return SchemaChange.LacksColumns;
        else reason = "the columns differ other than by columns added at the end";
        return SchemaChange.Incompatible;
    }
}

/// <summary>How a peer's definition of a table relates to ours.</summary>
internal enum SchemaChange
{
    /// <summary>Identical.</summary>
    Same,

    /// <summary>Theirs is ours with columns added at the end: ours evolves to it.</summary>
    AddsColumns,

    /// <summary>Ours is theirs with columns added: theirs is older.</summary>
    LacksColumns,

    /// <summary>Neither extends the other: refused on both sides.</summary>
    Incompatible,
}
