using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FossilSync.Repo.Tables;

/// <summary>
/// Rows as typed values in declared column order, and as the JSON peers exchange. Integers are
/// read as 64-bit integers (never through a double), reals as doubles written in their shortest
/// round-trip form, blobs as base64. The canonical JSON (declared order, compact, null columns
/// left out, <c>_owner</c> last) is what the version hash covers, so equal rows hash equally on
/// every peer, and a column added later (null in old rows) changes no existing row's hash.
/// </summary>
internal static class RowCodec
{
    public static int IndexOf(TableDefinition definition, string column)
    {
        for (int i = 0; i < definition.Columns.Count; i++)
        {
            if (definition.Columns[i].Name == column) return i;
        }
        return -1;
    }

    /// <summary>The row's values in declared order; with <paramref name="keyOnly"/>, only key columns may (and must) be set.</summary>
    /// <exception cref="TableRowException">An unknown column, a wrong type, a missing key value.</exception>
    public static object?[] Values(TableDefinition definition, TableRow row, bool keyOnly)
    {
        var values = new object?[definition.Columns.Count];
        foreach (var (name, value) in row)
        {
            int i = IndexOf(definition, name);
            if (i < 0) throw new TableRowException($"table '{definition.Name}' has no column '{name}'.");
            if (keyOnly && !definition.Key.Contains(name)) throw new TableRowException($"'{name}' is not a key column of table '{definition.Name}'.");
            values[i] = Check(definition, definition.Columns[i], value);
        }
        foreach (string key in definition.Key)
        {
            if (values[IndexOf(definition, key)] is null) throw new TableRowException($"table '{definition.Name}': key column '{key}' needs a value.");
        }
        return values;
    }

    private static object? Check(TableDefinition definition, TableColumn column, object? value)
    {
        bool fits = (column.Type, value) switch
        {
            (_, null) => true,
            (ColumnType.Integer, long) => true,
            (ColumnType.Real, double d) => double.IsFinite(d),
            (ColumnType.Text, string) => true,
            (ColumnType.Blob, byte[]) => true,
            _ => false,
        };
        if (!fits)
        {
            string what = value is double ? "a non-finite real" : $"a {value!.GetType().Name}";
            throw new TableRowException($"column '{column.Name}' of table '{definition.Name}' is {TableDefinition.TypeName(column.Type)}; got {what}.");
        }
        return value;
    }

    /// <summary>The canonical JSON of a live row.</summary>
    public static byte[] Json(TableDefinition definition, IReadOnlyList<object?> values, string? owner, bool keyOnly = false)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            for (int i = 0; i < definition.Columns.Count; i++)
            {
                var column = definition.Columns[i];
                if (values[i] is null || (keyOnly && !definition.Key.Contains(column.Name))) continue;
                w.WritePropertyName(column.Name);
                switch (values[i])
                {
                    case long n: w.WriteNumberValue(n); break;
                    case double d: w.WriteNumberValue(d); break;
                    case string s: w.WriteStringValue(s); break;
                    case byte[] b: w.WriteBase64StringValue(b); break;
                }
            }
            if (definition.HasOwnerColumn && owner is not null) w.WriteString(TableNames.OwnerColumn, owner);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>A row (or with <paramref name="keyOnly"/>, a deleted row's key) from a peer's JSON.</summary>
    /// <exception cref="TableRowException">Malformed JSON, an unknown column, a value that does not fit its column.</exception>
    public static (object?[] Values, string? Owner) Parse(TableDefinition definition, ReadOnlyMemory<byte> json, bool keyOnly)
    {
        var values = new object?[definition.Columns.Count];
        string? owner = null;
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 4 });
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new TableRowException($"table '{definition.Name}': a row is a JSON object.");
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == TableNames.OwnerColumn && definition.HasOwnerColumn)
                {
                    owner = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : throw new TableRowException("_owner must be a string.");
                    continue;
                }
                int i = IndexOf(definition, property.Name);
                if (i < 0 || (keyOnly && !definition.Key.Contains(property.Name))) throw new TableRowException($"table '{definition.Name}' has no column '{Printable(property.Name)}' here.");
                if (values[i] is not null) throw new TableRowException($"table '{definition.Name}': column '{property.Name}' given twice.");
                values[i] = Read(definition, definition.Columns[i], property.Value);
            }
        }
        catch (JsonException ex)
        {
            throw new TableRowException($"table '{definition.Name}': the row is not valid JSON ({ex.Message}).");
        }
        foreach (string key in definition.Key)
        {
            if (values[IndexOf(definition, key)] is null) throw new TableRowException($"table '{definition.Name}': key column '{key}' needs a value.");
        }
        return (values, owner);
    }

    /// <summary>A value from JSON, typed by its column: what the command line and peers give.</summary>
    public static object? Read(TableDefinition definition, TableColumn column, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null) return null;
        object? typed = column.Type switch
        {
            // TryGetInt64 reads the digits as an integer: 2^53 + 1 stays itself.
            ColumnType.Integer when value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) => n,
            ColumnType.Real when value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double d) && double.IsFinite(d) => d,
            ColumnType.Text when value.ValueKind == JsonValueKind.String => value.GetString(),
            ColumnType.Blob when value.ValueKind == JsonValueKind.String && value.TryGetBytesFromBase64(out byte[]? b) => b,
            _ => null,
        };
        return typed ?? throw new TableRowException($"column '{column.Name}' of table '{definition.Name}' is {TableDefinition.TypeName(column.Type)}; got {Printable(value.GetRawText())}.");
    }

    /// <summary>The version hash of a live row: SHA1 of its canonical JSON.</summary>
    public static string VersionHash(byte[] canonicalJson) => Convert.ToHexStringLower(SHA1.HashData(canonicalJson));

    /// <summary>The version hash of a deletion: SHA1 of <c>"deleted " PKHASH</c>, so equal deletions hash equally.</summary>
    public static string DeletionHash(string pkHash) => Convert.ToHexStringLower(SHA1.HashData(Encoding.ASCII.GetBytes("deleted " + pkHash)));

    private static string Printable(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
