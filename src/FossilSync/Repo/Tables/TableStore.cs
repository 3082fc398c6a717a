using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace FossilSync.Repo.Tables;

/// <summary>
/// All the SQL of synced tables: the registry (<c>xtable</c>), the data tables (<c>x_NAME</c>)
/// and the deletions (<c>xtable_tombstone</c>). Every identifier quoted here passed
/// <see cref="TableNames"/>; every value is a parameter.
/// </summary>
internal sealed class TableStore(Repository repository)
{
    private const string Registry = """
        CREATE TABLE IF NOT EXISTS xtable(
          name TEXT PRIMARY KEY,
          columns TEXT NOT NULL,
          policy TEXT NOT NULL,
          mtime INTEGER NOT NULL,
          hash TEXT
        );
        CREATE TABLE IF NOT EXISTS xtable_tombstone(
          tbl TEXT NOT NULL,
          pkhash TEXT NOT NULL,
          mtime INTEGER NOT NULL,
          vhash TEXT NOT NULL,
          keyjson TEXT NOT NULL,
          owner TEXT,
          PRIMARY KEY(tbl, pkhash)
        ) WITHOUT ROWID;
        """;

    public bool RegistryExists() => repository.Scalar<long>("SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='xtable'") > 0;

    public IReadOnlyList<TableDefinition> Definitions()
    {
        var list = new List<TableDefinition>();
        if (!RegistryExists()) return list;
        using var reader = repository.Query("SELECT name, columns FROM xtable ORDER BY name");
        while (reader.Read()) list.Add(TableDefinition.FromJson(reader.GetString(0), Encoding.UTF8.GetBytes(reader.GetString(1))));
        return list;
    }

    public TableDefinition? Definition(string name)
    {
        if (!RegistryExists()) return null;
        string? json = repository.Scalar<string>("SELECT columns FROM xtable WHERE name=$n", ("$n", name));
        return json is null ? null : TableDefinition.FromJson(name, Encoding.UTF8.GetBytes(json));
    }

    public void Create(TableDefinition definition)
    {
        using (var cmd = repository.Command(Registry)) cmd.ExecuteNonQuery();
        var columns = definition.Columns.Select(c => $"{TableNames.Quote(c.Name)} {SqlType(c.Type)}").ToList();
        if (definition.HasOwnerColumn) columns.Add($"{TableNames.Quote(TableNames.OwnerColumn)} TEXT");
        columns.Add($"{TableNames.Quote(TableNames.MTimeColumn)} INTEGER NOT NULL");
        columns.Add($"{TableNames.Quote(TableNames.PkHashColumn)} TEXT NOT NULL UNIQUE");
        columns.Add($"{TableNames.Quote(TableNames.VHashColumn)} TEXT NOT NULL");
        string key = string.Join(", ", definition.Key.Select(TableNames.Quote));
        string sql = $"CREATE TABLE {TableNames.DataTable(definition.Name)}({string.Join(", ", columns)}, PRIMARY KEY({key}))";
        using (var cmd = repository.Command(sql)) cmd.ExecuteNonQuery();
        repository.Execute("INSERT INTO xtable(name, columns, policy, mtime, hash) VALUES($n, $c, $p, $m, NULL)",
            ("$n", definition.Name), ("$c", definition.ToJson()), ("$p", TableDefinition.PolicyName(definition.Policy)), ("$m", NowMs()));
    }

    /// <summary>Adds the columns <paramref name="evolved"/> has beyond <paramref name="current"/>.</summary>
    public void AddColumns(TableDefinition current, TableDefinition evolved)
    {
        foreach (var column in evolved.Columns.Skip(current.Columns.Count))
        {
            using var cmd = repository.Command($"ALTER TABLE {TableNames.DataTable(current.Name)} ADD COLUMN {TableNames.Quote(column.Name)} {SqlType(column.Type)}");
            cmd.ExecuteNonQuery();
        }
        repository.Execute("UPDATE xtable SET columns=$c, mtime=$m, hash=NULL WHERE name=$n", ("$n", current.Name), ("$c", evolved.ToJson()), ("$m", NowMs()));
    }

    public RowVersion? Version(TableDefinition d, string pkHash)
    {
        using (var reader = repository.Query($"SELECT mtime, _vhash FROM {TableNames.DataTable(d.Name)} WHERE _pkhash=$h", ("$h", pkHash)))
        {
            if (reader.Read()) return new RowVersion(pkHash, reader.GetInt64(0), reader.GetString(1));
        }
        using (var reader = repository.Query("SELECT mtime, vhash FROM xtable_tombstone WHERE tbl=$t AND pkhash=$h", ("$t", d.Name), ("$h", pkHash)))
        {
            if (reader.Read()) return new RowVersion(pkHash, reader.GetInt64(0), reader.GetString(1));
        }
        return null;
    }

    /// <summary>The owner of a row or deletion, or null.</summary>
    public string? OwnerOf(TableDefinition d, string pkHash)
    {
        if (!d.HasOwnerColumn) return null;
        return repository.Scalar<string>($"SELECT _owner FROM {TableNames.DataTable(d.Name)} WHERE _pkhash=$h", ("$h", pkHash))
            ?? repository.Scalar<string>("SELECT owner FROM xtable_tombstone WHERE tbl=$t AND pkhash=$h", ("$t", d.Name), ("$h", pkHash));
    }

    public void Upsert(TableDefinition d, IReadOnlyList<object?> values, string? owner, RowVersion version)
    {
        var names = d.Columns.Select(c => TableNames.Quote(c.Name)).ToList();
        var parameters = new List<(string, object?)>();
        for (int i = 0; i < values.Count; i++) parameters.Add(($"$c{i}", values[i]));
        if (d.HasOwnerColumn)
        {
            names.Add(TableNames.Quote(TableNames.OwnerColumn));
            parameters.Add(("$owner", owner));
        }
        names.Add(TableNames.Quote(TableNames.MTimeColumn));
        names.Add(TableNames.Quote(TableNames.PkHashColumn));
        names.Add(TableNames.Quote(TableNames.VHashColumn));
        parameters.Add(("$mtime", version.MTime));
        parameters.Add(("$pkhash", version.PkHash));
        parameters.Add(("$vhash", version.VHash));
        string sql = $"INSERT OR REPLACE INTO {TableNames.DataTable(d.Name)}({string.Join(", ", names)}) VALUES({string.Join(", ", parameters.Select(p => p.Item1))})";
        repository.Execute(sql, [.. parameters]);
        repository.Execute("DELETE FROM xtable_tombstone WHERE tbl=$t AND pkhash=$h", ("$t", d.Name), ("$h", version.PkHash));
        Changed(d.Name);
    }

    public void Tombstone(TableDefinition d, byte[] keyJson, string? owner, RowVersion version)
    {
        repository.Execute($"DELETE FROM {TableNames.DataTable(d.Name)} WHERE _pkhash=$h", ("$h", version.PkHash));
        repository.Execute("INSERT OR REPLACE INTO xtable_tombstone(tbl, pkhash, mtime, vhash, keyjson, owner) VALUES($t, $h, $m, $v, $k, $o)",
            ("$t", d.Name), ("$h", version.PkHash), ("$m", version.MTime), ("$v", version.VHash), ("$k", Encoding.UTF8.GetString(keyJson)), ("$o", owner));
        Changed(d.Name);
    }

    /// <summary>A live row's values, owner and mtime by its key hash, or null.</summary>
    public (object?[] Values, string? Owner, long MTime)? Row(TableDefinition d, string pkHash)
    {
        using var reader = repository.Query($"SELECT {SelectList(d)} FROM {TableNames.DataTable(d.Name)} WHERE _pkhash=$h", ("$h", pkHash));
        return reader.Read() ? ReadRow(d, reader) : null;
    }

    /// <summary>A deletion's key JSON, owner and mtime by its key hash, or null.</summary>
    public (string KeyJson, string? Owner, long MTime)? Deletion(TableDefinition d, string pkHash)
    {
        using var reader = repository.Query("SELECT keyjson, owner, mtime FROM xtable_tombstone WHERE tbl=$t AND pkhash=$h", ("$t", d.Name), ("$h", pkHash));
        return reader.Read() ? (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2)) : null;
    }

    /// <summary>Live rows in primary-key order.</summary>
    public IEnumerable<(object?[] Values, string? Owner, long MTime)> Rows(TableDefinition d)
    {
        string order = string.Join(", ", d.Key.Select(TableNames.Quote));
        using var cmd = repository.Command($"SELECT {SelectList(d)} FROM {TableNames.DataTable(d.Name)} ORDER BY {order}");
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) yield return ReadRow(d, reader);
    }

    public long Count(TableDefinition d) => repository.Scalar<long>($"SELECT count(*) FROM {TableNames.DataTable(d.Name)}");

    /// <summary>Every version held, rows and deletions, by key hash.</summary>
    /// <summary>At most <paramref name="limit"/> versions whose key hash is after <paramref name="after"/> and at most <paramref name="upTo"/>, in key-hash order.</summary>
    public List<RowVersion> Catalogue(TableDefinition d, string after, string upTo, int limit)
    {
        var list = new List<RowVersion>();
        using var cmd = repository.Command(
            $"SELECT _pkhash, mtime, _vhash FROM {TableNames.DataTable(d.Name)} WHERE _pkhash>$a AND _pkhash<=$u UNION ALL SELECT pkhash, mtime, vhash FROM xtable_tombstone WHERE tbl=$t AND pkhash>$a AND pkhash<=$u ORDER BY 1 LIMIT $l",
            ("$t", d.Name), ("$a", after), ("$u", upTo), ("$l", limit));
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) list.Add(new RowVersion(reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
        return list;
    }

    public List<RowVersion> Catalogue(TableDefinition d)
    {
        var list = new List<RowVersion>();
        using var cmd = repository.Command($"SELECT _pkhash, mtime, _vhash FROM {TableNames.DataTable(d.Name)} UNION ALL SELECT pkhash, mtime, vhash FROM xtable_tombstone WHERE tbl=$t ORDER BY 1", ("$t", d.Name));
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) list.Add(new RowVersion(reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
        return list;
    }

    /// <summary>
    /// SHA1 of the definition's canonical JSON, a newline, then <c>PKHASH MTIME VHASH\n</c> per
    /// version in key-hash order: equal on two peers exactly when schema and versions are equal.
    /// Cached in the registry until the table changes.
    /// </summary>
    public string CatalogueHash(TableDefinition d)
    {
        if (repository.Scalar<string>("SELECT hash FROM xtable WHERE name=$n", ("$n", d.Name)) is { } cached) return cached;
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha1.AppendData(Encoding.UTF8.GetBytes(d.ToJson() + "\n"));
        foreach (var v in Catalogue(d)) sha1.AppendData(Encoding.ASCII.GetBytes($"{v.PkHash} {v.MTime} {v.VHash}\n"));
        string hash = Convert.ToHexStringLower(sha1.GetHashAndReset());
        repository.Execute("UPDATE xtable SET hash=$h WHERE name=$n", ("$h", hash), ("$n", d.Name));
        return hash;
    }

    public long NowMs() => repository.Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private void Changed(string name) => repository.Execute("UPDATE xtable SET hash=NULL WHERE name=$n AND hash IS NOT NULL", ("$n", name));

    private static string SelectList(TableDefinition d)
    {
        var names = d.Columns.Select(c => TableNames.Quote(c.Name)).ToList();
        names.Add(d.HasOwnerColumn ? TableNames.Quote(TableNames.OwnerColumn) : "NULL");
        names.Add(TableNames.Quote(TableNames.MTimeColumn));
        return string.Join(", ", names);
    }

    private static (object?[] Values, string? Owner, long MTime) ReadRow(TableDefinition d, SqliteDataReader reader)
    {
        var values = new object?[d.Columns.Count];
        for (int i = 0; i < values.Length; i++)
        {
            if (reader.IsDBNull(i)) continue;
            values[i] = d.Columns[i].Type switch
            {
                ColumnType.Integer => reader.GetInt64(i),
                ColumnType.Real => reader.GetDouble(i),
                ColumnType.Text => reader.GetString(i),
                _ => (byte[])reader.GetValue(i),
            };
        }
        int n = values.Length;
        return (values, reader.IsDBNull(n) ? null : reader.GetString(n), reader.GetInt64(n + 1));
    }

    private static string SqlType(ColumnType type) => type switch
    {
        ColumnType.Integer => "INTEGER",
        ColumnType.Real => "REAL",
        ColumnType.Text => "TEXT",
        _ => "BLOB",
    };
}
