using System.Collections;

namespace FossilSync.Repo.Tables;

/// <summary>
/// One row of a synced table: column values by name, in the order they were set. A value is a
/// <see cref="long"/> (integer columns; an <see cref="int"/> is widened), a <see cref="double"/>
/// (real), a <see cref="string"/> (text), a <see cref="T:byte[]"/> (blob) or null.
/// </summary>
/// <example><code>table.Put(new TableRow { ["id"] = 7L, ["title"] = "write the docs" });</code></example>
public sealed class TableRow : IEnumerable<KeyValuePair<string, object?>>
{
    private readonly List<KeyValuePair<string, object?>> _values = [];

    /// <summary>The value of <paramref name="column"/>; null when it is null or not set.</summary>
    public object? this[string column]
    {
        get => IndexOf(column) is int i and >= 0 ? _values[i].Value : null;
        set
        {
            ArgumentNullException.ThrowIfNull(column);
            var entry = new KeyValuePair<string, object?>(column, Normalize(column, value));
            int i = IndexOf(column);
            if (i >= 0) _values[i] = entry;
            else _values.Add(entry);
        }
    }

    /// <summary>How many columns are set.</summary>
    public int Count => _values.Count;

    /// <summary>The names of the columns set, in order.</summary>
    public IEnumerable<string> Columns => _values.Select(v => v.Key);

    /// <summary>When the row was last written (milliseconds since 1970, UTC); set on rows read from a table.</summary>
    public long? MTime { get; internal set; }

    /// <summary>The user who owns the row, for tables with an owner column; set on rows read from a table.</summary>
    public string? Owner { get; internal set; }

    /// <summary>Sets a column (for collection initialisers).</summary>
    public void Add(string column, object? value) => this[column] = value;

    /// <summary>True when <paramref name="column"/> is set (possibly to null).</summary>
    public bool Contains(string column) => IndexOf(column) >= 0;

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string column) => _values.FindIndex(v => v.Key == column);

    private static object? Normalize(string column, object? value) => value switch
    {
        null or long or double or string or byte[] => value,
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        uint u => (long)u,
        float f => (double)f,
        _ => throw new TableRowException($"column '{column}': a {value.GetType().Name} is not a table value (use long, double, string, byte[] or null)."),
    };
}
