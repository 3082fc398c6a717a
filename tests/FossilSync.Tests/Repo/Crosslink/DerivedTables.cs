using Microsoft.Data.Sqlite;

namespace FossilSync.Tests.Repo.Crosslink;

/// <summary>
/// A repository's derived tables as sorted text rows, with every rid replaced by its artifact
/// hash and every fnid by its file name: rowids are assigned in arrival order and are
/// legitimately different between two rebuilds, the hashes and names are not. Times are
/// printed with 17 significant digits, so they must match to the last bit.
/// </summary>
public static class DerivedTables
{
    private static readonly Dictionary<string, string> Queries = new()
    {
        ["plink"] = """
            SELECT p.uuid, c.uuid, isprim, printf('%.17g', plink.mtime), coalesce(b.uuid, '-')
            FROM plink JOIN blob p ON p.rid=plink.pid JOIN blob c ON c.rid=plink.cid LEFT JOIN blob b ON b.rid=plink.baseid
            """,
        ["mlink"] = """
            SELECT m.uuid, coalesce(f.uuid, mlink.fid), coalesce(pm.uuid, mlink.pmid),
                   CASE WHEN mlink.pid<=0 THEN mlink.pid ELSE p.uuid END,
                   fn.name, coalesce(pfn.name, '-'), mperm, isaux
            FROM mlink JOIN blob m ON m.rid=mlink.mid LEFT JOIN blob f ON f.rid=mlink.fid
              LEFT JOIN blob pm ON pm.rid=mlink.pmid LEFT JOIN blob p ON p.rid=mlink.pid
              JOIN filename fn ON fn.fnid=mlink.fnid LEFT JOIN filename pfn ON pfn.fnid=mlink.pfnid
            """,
        ["filename"] = "SELECT name FROM filename",
        ["event(ci)"] = """
            SELECT type, printf('%.17g', event.mtime), b.uuid, tagid, uid, bgcolor, euser, user, ecomment, comment, brief, printf('%.17g', omtime)
            FROM event JOIN blob b ON b.rid=event.objid WHERE type='ci'
            """,
        ["tagxref"] = """
            SELECT t.tagname, tagtype, coalesce(s.uuid, tagxref.srcid), coalesce(o.uuid, tagxref.origid), value, printf('%.17g', tagxref.mtime), r.uuid
            FROM tagxref JOIN tag t ON t.tagid=tagxref.tagid LEFT JOIN blob s ON s.rid=tagxref.srcid
              LEFT JOIN blob o ON o.rid=tagxref.origid JOIN blob r ON r.rid=tagxref.rid
            """,
        ["tag"] = "SELECT tagname FROM tag",
        ["leaf"] = "SELECT b.uuid FROM leaf JOIN blob b USING(rid)",
        ["unclustered"] = "SELECT b.uuid FROM unclustered JOIN blob b USING(rid)",
        ["phantom"] = "SELECT b.uuid FROM phantom JOIN blob b USING(rid)",
        ["cherrypick"] = "SELECT p.uuid, c.uuid, isExclude FROM cherrypick JOIN blob p ON p.rid=parentid JOIN blob c ON c.rid=childid",
        ["private"] = "SELECT b.uuid FROM private JOIN blob b USING(rid)",
    };

    /// <summary>The names of the tables compared.</summary>
    public static IEnumerable<string> Names => Queries.Keys;

    public static Dictionary<string, List<string>> Snapshot(string repositoryPath)
    {
        using var db = new SqliteConnection($"Data Source={repositoryPath};Mode=ReadOnly;Pooling=False");
        db.Open();
        var result = new Dictionary<string, List<string>>();
        foreach (var (table, sql) in Queries)
        {
            using var cmd = db.CreateCommand();
            cmd.CommandText = sql;
            using var reader = cmd.ExecuteReader();
            var rows = new List<string>();
            while (reader.Read())
            {
                var cells = new string[reader.FieldCount];
                for (int i = 0; i < cells.Length; i++) cells[i] = reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!;
                rows.Add(string.Join(" | ", cells));
            }
            rows.Sort(StringComparer.Ordinal);
            result[table] = rows;
        }
        return result;
    }
}
