using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace FossilSync.Tests.Repo.Crosslink;

/// <summary>
/// The derived tables of a repository as sorted text rows, with every id that is only a local
/// rowid replaced by what it stands for, so two repositories can be compared row for row:
/// rids → artifact hashes (rids depend on arrival order and on which copy assigned them),
/// fnids → file names, tagids → tag names (both are allocated in crosslink order). Values
/// that are not ids (timestamps, comments, flags, tag values) are compared exactly; REAL
/// values with round-trip precision.
/// </summary>
public static class DerivedTables
{
    private const string Rid = "(SELECT uuid FROM blob WHERE rid={0})";

    private static readonly (string Table, string Sql)[] Queries =
    [
        ("plink", $"SELECT {R("pid")}, {R("cid")}, isprim, mtime, {R("baseid")} FROM plink"),
        ("mlink", $"SELECT {R("mid")}, {R("fid")}, {R("pmid")}, CASE WHEN pid<=0 THEN pid ELSE {R("pid")} END,"
            + " (SELECT name FROM filename WHERE fnid=mlink.fnid), (SELECT name FROM filename WHERE fnid=mlink.pfnid), mperm, isaux FROM mlink"),
        ("filename", "SELECT name FROM filename"),
        ("event", $"SELECT type, mtime, {R("objid")}, (SELECT tagname FROM tag WHERE tagid=event.tagid), uid, bgcolor, euser, user,"
            + " ecomment, comment, brief, omtime FROM event"),
        ("tag", "SELECT tagname FROM tag"),
        ("tagxref", $"SELECT (SELECT tagname FROM tag WHERE tagid=tagxref.tagid), tagtype, {R("srcid")}, {R("origid")}, value, mtime, {R("rid")} FROM tagxref"),
        ("leaf", $"SELECT {R("rid")} FROM leaf"),
        ("backlink", $"SELECT target, srctype, CASE srctype WHEN 2 THEN (SELECT tagname FROM tag WHERE tagid=srcid) ELSE {R("srcid")} END, mtime FROM backlink"),
        ("attachment", $"SELECT {R("attachid")}, isLatest, mtime, src, target, filename, comment, user FROM attachment"),
        ("cherrypick", $"SELECT {R("parentid")}, {R("childid")}, isExclude FROM cherrypick"),
        ("ticket", "SELECT tkt_uuid, tkt_mtime, tkt_ctime, type, status, subsystem, priority, severity, foundin, private_contact, resolution, title, comment FROM ticket"),
        ("ticketchng", $"SELECT (SELECT tkt_uuid FROM ticket WHERE tkt_id=ticketchng.tkt_id), {R("tkt_rid")}, tkt_mtime, tkt_user, login, username, mimetype, icomment FROM ticketchng"),
        ("phantom", $"SELECT {R("rid")} FROM phantom"),
        ("orphan", $"SELECT {R("rid")}, {R("baseline")} FROM orphan"),
        ("unclustered", $"SELECT {R("rid")} FROM unclustered"),
        ("private", $"SELECT {R("rid")} FROM private"),
        // Made by the first forum post crosslinked; a repository without any has no such table.
        ("forumpost", $"SELECT {R("fpid")}, {R("froot")}, {R("fprev")}, {R("firt")}, fmtime FROM forumpost"),
    ];

    /// <summary>Table name → its normalised rows, sorted.</summary>
    public static Dictionary<string, List<string>> Read(string repositoryPath)
    {
        var result = new Dictionary<string, List<string>>();
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = repositoryPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        db.Open();
        foreach (var (table, sql) in Queries)
        {
            var rows = new List<string>();
            using var cmd = db.CreateCommand();
            cmd.CommandText = $"SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='{table}'";
            if ((long)cmd.ExecuteScalar()! == 0)
            {
                result[table] = ["(no such table)"];
                continue;
            }
            cmd.CommandText = sql;
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                var sb = new StringBuilder();
                for (int i = 0; i < reader.FieldCount; i++)
                {
                    if (i > 0) sb.Append(" | ");
                    sb.Append(reader.IsDBNull(i) ? "NULL" : reader.GetValue(i) switch
                    {
                        double d => d.ToString("R", CultureInfo.InvariantCulture),
                        long l => l.ToString(CultureInfo.InvariantCulture),
                        string s => "'" + s + "'",
                        byte[] b => "x'" + Convert.ToHexString(b) + "'",
                        var o => o.ToString(),
                    });
                }
                rows.Add(sb.ToString());
            }
            rows.Sort(StringComparer.Ordinal);
            result[table] = rows;
        }
        return result;
    }

    /// <summary>
    /// Asserts both repositories' derived tables are equal, naming the table and rows that
    /// differ. Every value is compared exactly, timestamps included (to the last bit: see
    /// <c>FossilPrintf</c>). <paramref name="normalize"/> may rewrite a row (given its table)
    /// first, for a value that is legitimately different; the caller says why.
    /// </summary>
    public static void ShouldMatch(string actualPath, string expectedPath, Func<string, string, string>? normalize = null)
    {
        var actual = Read(actualPath);
        var expected = Read(expectedPath);
        var problems = new StringBuilder();
        foreach (var (table, stockRows) in expected)
        {
            var rows = normalize is null ? stockRows : stockRows.Select(r => normalize(table, r)).Order(StringComparer.Ordinal).ToList();
            var mine = normalize is null ? actual[table] : actual[table].Select(r => normalize(table, r)).Order(StringComparer.Ordinal).ToList();
            var missing = rows.Except(mine).ToList();
            var extra = mine.Except(rows).ToList();
            if (missing.Count == 0 && extra.Count == 0 && mine.Count == rows.Count) continue;
            problems.AppendLine($"table {table}: {mine.Count} rows, stock {rows.Count}");
            foreach (string r in missing.Take(10)) problems.AppendLine("  stock only: " + r);
            foreach (string r in extra.Take(10)) problems.AppendLine("  ours only:  " + r);
        }
        problems.ToString().Should().BeEmpty();
    }

    private static string R(string column) => string.Format(CultureInfo.InvariantCulture, Rid, column);
}
