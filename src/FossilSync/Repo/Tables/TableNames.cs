using System.Text.RegularExpressions;

namespace FossilSync.Repo.Tables;

/// <summary>
/// The one rule for every identifier a synced table brings into SQL: a lowercase letter, then
/// lowercase letters, digits or <c>_</c>. A name that passes is safe to quote into a statement;
/// nothing else ever is. Names that could be mistaken for SQLite's or Fossil's own are refused
/// too, although the <c>x_</c> prefix already keeps data tables apart from them.
/// </summary>
internal static partial class TableNames
{
    /// <summary>Prefix of every data table: a peer can reach no table outside it.</summary>
    public const string DataPrefix = "x_";

    public const int MaxTableName = 48;
    public const int MaxColumnName = 63;

    // Columns the storage adds beside the declared ones.
    public const string MTimeColumn = "mtime";
    public const string OwnerColumn = "_owner";
    public const string PkHashColumn = "_pkhash";
    public const string VHashColumn = "_vhash";

    private static readonly HashSet<string> ReservedTables = new(StringComparer.Ordinal)
    {
        // Fossil's own tables, and the registry of synced tables.
        "blob", "delta", "rcvfrom", "user", "config", "shun", "private", "reportfmt", "concealed", "filename", "mlink",
        "plink", "leaf", "event", "phantom", "orphan", "unclustered", "unsent", "tag", "tagxref", "backlink",
        "attachment", "cherrypick", "ticket", "ticketchng", "unversioned", "forumpost", "accesslog", "admin_log",
        "alias", "chat", "subscriber", "pending_alert", "xtable", "xtable_tombstone", "sqlite_master", "sqlite_schema",
    };

    private static readonly HashSet<string> ReservedColumns = new(StringComparer.Ordinal) { MTimeColumn, "rowid", "oid", "_rowid_" };

    [GeneratedRegex("^[a-z][a-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();

    /// <summary>Throws unless <paramref name="name"/> may name a synced table.</summary>
    /// <exception cref="TableSchemaException">It may not.</exception>
    public static void CheckTable(string? name)
    {
        Check(name, "table", MaxTableName);
        if (ReservedTables.Contains(name!) || name!.StartsWith("sqlite", StringComparison.Ordinal) || name.StartsWith("fossil", StringComparison.Ordinal))
        {
            throw new TableSchemaException($"table name '{name}' is reserved.");
        }
    }

    /// <summary>Throws unless <paramref name="name"/> may name a declared column.</summary>
    /// <exception cref="TableSchemaException">It may not.</exception>
    public static void CheckColumn(string? name, string table)
    {
        Check(name, $"column of table '{table}'", MaxColumnName);
        if (ReservedColumns.Contains(name!)) throw new TableSchemaException($"column name '{name}' of table '{table}' is reserved.");
    }

    public static bool IsValidTable(string? name)
    {
        try
        {
            CheckTable(name);
            return true;
        }
        catch (TableSchemaException)
        {
            return false;
        }
    }

    /// <summary>The quoted SQL name of a data table whose name has been checked.</summary>
    public static string DataTable(string table)
    {
        CheckTable(table);
        return Quote(DataPrefix + table);
    }

    /// <summary>Quotes an identifier that passed the pattern (so holds no quote of its own).</summary>
    public static string Quote(string identifier)
    {
        if (identifier != OwnerColumn && identifier != PkHashColumn && identifier != VHashColumn && !Identifier().IsMatch(identifier)) throw new InvalidOperationException($"unchecked identifier '{identifier}'.");
        return "\"" + identifier + "\"";
    }

    private static void Check(string? name, string what, int max)
    {
        if (string.IsNullOrEmpty(name)) throw new TableSchemaException($"a {what} needs a name.");
        if (name.Length > max) throw new TableSchemaException($"{what} name '{Printable(name)}' is longer than {max} characters.");
        if (!Identifier().IsMatch(name)) throw new TableSchemaException($"{what} name '{Printable(name)}' is not allowed: use a lowercase letter, then lowercase letters, digits or '_'.");
    }

    private static string Printable(string name) => name.Length > 80 ? name[..80] + "…" : name.ReplaceLineEndings(" ");
}
