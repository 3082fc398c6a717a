namespace FossilSync.Repo.Crosslink;

/// <summary>
/// Access to the derived tables for one crosslink session, through the repository's one
/// statement cache; parameters are positional (<c>$1</c>, <c>$2</c>…). Query results are read
/// into memory before returning, because crosslinking often changes the very rows it is
/// iterating (as fossil's own loops do, one row at a time).
/// </summary>
internal sealed class DerivedDb(Repository repository)
{
    public Repository Repository => repository;

    public int Execute(string sql, params object?[] args) => repository.Run(repository.Statement(sql, args));

    public T? Scalar<T>(string sql, params object?[] args)
    {
        object? value = repository.ReadScalar(repository.Statement(sql, args));
        if (value is null or DBNull) return default;
        return value is T typed ? typed : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool Exists(string sql, params object?[] args) => repository.ReadScalar(repository.Statement(sql, args)) is not (null or DBNull);

    /// <summary>Every row of a query, each as an array of column values (DBNull mapped to null).</summary>
    public List<object?[]> Rows(string sql, params object?[] args)
    {
        var rows = new List<object?[]>();
        using var reader = repository.Read(repository.Statement(sql, args));
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (int i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>The first column of every row, as rids.</summary>
    public List<long> Rids(string sql, params object?[] args)
    {
        var rids = new List<long>();
        using var reader = repository.Read(repository.Statement(sql, args));
        while (reader.Read()) rids.Add(reader.GetInt64(0));
        return rids;
    }

    /// <summary>Runs several statements without parameters (DDL, temp tables).</summary>
    public void Script(string sql)
    {
        using var cmd = repository.Command(sql);
        repository.Run(cmd);
    }
}
