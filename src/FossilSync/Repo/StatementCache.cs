using Microsoft.Data.Sqlite;

namespace FossilSync.Repo;

/// <summary>
/// The repository connection's prepared statements, one per SQL text, shared by every part of
/// Repo (storing, crosslinking, rebuild): re-preparing dominated crosslinking and storing, which
/// run thousands of small statements per round. Past its capacity it starts over, so SQL built
/// from values cannot make it grow without end.
/// </summary>
internal sealed class StatementCache(SqliteConnection connection, int capacity) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);

    /// <summary>The statement for <paramref name="sql"/>, bound to <paramref name="parameters"/> by name.</summary>
    public SqliteCommand Named(string sql, (string Name, object? Value)[] parameters)
    {
        var cmd = Get(sql);
        cmd.Parameters.Clear();
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    /// <summary>The statement for <paramref name="sql"/>, bound to <paramref name="args"/> by position (<c>$1</c>, <c>$2</c>…).</summary>
    public SqliteCommand Positional(string sql, object?[] args)
    {
        var cmd = Get(sql);
        // Made once per statement, then only their values change.
        if (cmd.Parameters.Count != args.Length || (args.Length > 0 && cmd.Parameters[0].ParameterName != "$1"))
        {
            cmd.Parameters.Clear();
            for (int i = 0; i < args.Length; i++) cmd.Parameters.Add(new SqliteParameter("$" + (i + 1), null));
        }
        for (int i = 0; i < args.Length; i++) cmd.Parameters[i].Value = args[i] ?? DBNull.Value;
        return cmd;
    }

    public void Dispose() => Clear();

    private SqliteCommand Get(string sql)
    {
        if (!_statements.TryGetValue(sql, out var cmd))
        {
            if (_statements.Count >= capacity) Clear();
            cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            _statements[sql] = cmd;
        }
        return cmd;
    }

    private void Clear()
    {
        foreach (var statement in _statements.Values) statement.Dispose();
        _statements.Clear();
    }
}
