using System.Text;

namespace FossilSync.Repo;

/// <summary>Fossil's configuration groups (the <c>CONFIGSET_*</c> masks of configure.c).</summary>
[Flags]
internal enum ConfigGroups
{
    None = 0,
    Css = 0x001,
    Skin = 0x002,
    Ticket = 0x004,
    Project = 0x008,
    Shun = 0x010,
    User = 0x020,
    Address = 0x040,
    Xfer = 0x080,
    Alias = 0x100,
    Subscriber = 0x200,
    InterWiki = 0x400,
    All = 0x7ff,
    Th1 = Skin | Ticket | Xfer,
}

/// <summary>
/// The <c>reqconfig</c>/<c>config</c> exchange as stock fossil 2.21 does it (configure.c): the
/// server renders a group's rows as "new format" records (<c>MTIME KEY column VALUE ...</c>
/// with SQL-quoted values), the receiver merges each row, keeping whichever side is newer.
/// </summary>
/// <remarks>
/// A received record is applied only if every value is a safe SQL literal (string, blob,
/// integer or NULL) and every column is one the table is known to carry, exactly as stock
/// checks; anything else is silently dropped, as stock drops it.
/// </remarks>
internal static class ConfigurationTransfer
{
    private static readonly (string Name, ConfigGroups Groups)[] GroupNames =
    [
        ("/email", ConfigGroups.Address),
        ("/project", ConfigGroups.Project),
        ("/skin", ConfigGroups.Skin | ConfigGroups.Css),
        ("/css", ConfigGroups.Css),
        ("/shun", ConfigGroups.Shun),
        ("/ticket", ConfigGroups.Ticket),
        ("/user", ConfigGroups.User),
        ("/xfer", ConfigGroups.Xfer),
        ("/alias", ConfigGroups.Alias),
        ("/subscriber", ConfigGroups.Subscriber),
        ("/interwiki", ConfigGroups.InterWiki),
        ("/all", ConfigGroups.All),
    ];

    // The settings stock is willing to transfer, in its order; "@" entries are whole tables.
    private static readonly (string Name, ConfigGroups Groups)[] Settings =
    [
        ("css", ConfigGroups.Css),
        .. new[]
        {
            "header", "mainmenu", "footer", "details", "js", "logo-mimetype", "logo-image", "background-mimetype",
            "background-image", "icon-mimetype", "icon-image", "timeline-block-markup", "timeline-date-format",
            "timeline-default-style", "timeline-dwelltime", "timeline-closetime", "timeline-max-comment",
            "timeline-plaintext", "timeline-truncate-at-blank", "timeline-tslink-info", "timeline-utc", "adunit",
            "adunit-omit-if-admin", "adunit-omit-if-user", "default-csp", "sitemap-extra", "safe-html",
        }.Select(n => (n, ConfigGroups.Skin)),
        ("th1-setup", ConfigGroups.Th1),
        ("th1-uri-regexp", ConfigGroups.Th1),
        .. new[]
        {
            "project-name", "short-project-name", "project-description", "index-page", "manifest", "binary-glob",
            "clean-glob", "ignore-glob", "keep-glob", "crlf-glob", "crnl-glob", "encoding-glob", "empty-dirs",
            "dotfiles", "parent-project-code", "parent-project-name", "hash-policy", "comment-format", "mimetypes",
            "forbid-delta-manifests", "mv-rm-files",
        }.Select(n => (n, ConfigGroups.Project)),
        .. new[]
        {
            "ticket-table", "ticket-common", "ticket-change", "ticket-newpage", "ticket-viewpage", "ticket-editpage",
            "ticket-reportlist", "ticket-report-template", "ticket-key-template", "ticket-title-expr",
            "ticket-closed-expr", "@reportfmt",
        }.Select(n => (n, ConfigGroups.Ticket)),
        ("@user", ConfigGroups.User),
        ("user-color-map", ConfigGroups.User),
        ("@concealed", ConfigGroups.Address),
        ("@shun", ConfigGroups.Shun),
        ("@alias", ConfigGroups.Alias),
        ("@subscriber", ConfigGroups.Subscriber),
        ("@interwiki", ConfigGroups.InterWiki),
        ("xfer-common-script", ConfigGroups.Xfer),
        ("xfer-push-script", ConfigGroups.Xfer),
        ("xfer-commit-script", ConfigGroups.Xfer),
        ("xfer-ticket-script", ConfigGroups.Xfer),
    ];

    private sealed record TableType(string Card, string Table, string Key, string[] Fields);

    private static readonly TableType[] Tables =
    [
        new("/config", "config", "name", ["value"]),
        new("/user", "user", "login", ["pw", "cap", "info", "photo", "jx"]),
        new("/shun", "shun", "uuid", ["scom"]),
        new("/reportfmt", "reportfmt", "title", ["owner", "cols", "sqlcode", "jx"]),
        new("/concealed", "concealed", "hash", ["content"]),
        new("/subscriber", "subscriber", "semail", ["suname", "sdigest", "sdonotcall", "ssub", "sctime", "smip"]),
    ];

    /// <summary>The groups a <c>reqconfig</c> name asks for; none for a name stock does not know.</summary>
    public static ConfigGroups GroupsOf(string name) =>
        GroupNames.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.Ordinal)).Groups;

    /// <summary>
    /// What a user may receive of <paramref name="requested"/>: users and subscribers only for
    /// admins, concealed addresses only with the <c>e</c> capability.
    /// </summary>
    public static ConfigGroups Permitted(ConfigGroups requested, bool admin, bool readAddresses)
    {
        if (!admin) requested &= ~(ConfigGroups.User | ConfigGroups.Subscriber);
        if (!readAddresses) requested &= ~ConfigGroups.Address;
        return requested;
    }

    /// <summary>The <c>config</c> cards (card name, record) for <paramref name="groups"/>, in stock's order.</summary>
    public static IEnumerable<(string Card, byte[] Record)> Send(Repository repository, ConfigGroups groups)
    {
        var records = new List<(string, byte[])>();
        void Rows(string card, string sql, string[] columns, bool skipNulls, params (string Name, object? Value)[] parameters)
        {
            using var cmd = repository.Command(sql, parameters);
            using var reader = repository.Read(cmd);
            while (reader.Read())
            {
                var text = new StringBuilder();
                text.Append(reader.GetString(0)).Append(' ').Append(reader.GetString(1));
                for (int i = 0; i < columns.Length; i++)
                {
                    string value = reader.GetString(i + 2);
                    if (skipNulls && value == "NULL") continue;
                    text.Append(' ').Append(columns[i]).Append(' ').Append(value);
                }
                records.Add((card, Encoding.UTF8.GetBytes(text.ToString())));
            }
        }

        const string Mtime = "coalesce(CAST(mtime AS TEXT),'')";
        if (groups.HasFlag(ConfigGroups.Shun))
        {
            Rows("/shun", $"SELECT {Mtime}, quote(uuid), quote(scom) FROM shun", ["scom"], skipNulls: false);
        }
        if (groups.HasFlag(ConfigGroups.User))
        {
            Rows("/user", $"SELECT {Mtime}, quote(login), quote(pw), quote(cap), quote(info), quote(photo), quote(jx) FROM user", ["pw", "cap", "info", "photo", "jx"], skipNulls: true);
        }
        if (groups.HasFlag(ConfigGroups.Ticket))
        {
            Rows("/reportfmt", $"SELECT {Mtime}, quote(title), quote(owner), quote(cols), quote(sqlcode), quote(jx) FROM reportfmt", ["owner", "cols", "sqlcode", "jx"], skipNulls: true);
        }
        if (groups.HasFlag(ConfigGroups.Address))
        {
            Rows("/concealed", $"SELECT {Mtime}, quote(hash), quote(content) FROM concealed", ["content"], skipNulls: false);
        }
        if (groups.HasFlag(ConfigGroups.Alias))
        {
            Rows("/config", $"SELECT {Mtime}, quote(name), quote(value) FROM config WHERE name GLOB 'walias:/*'", ["value"], skipNulls: false);
        }
        if (groups.HasFlag(ConfigGroups.InterWiki))
        {
            Rows("/config", $"SELECT {Mtime}, quote(name), quote(value) FROM config WHERE name GLOB 'interwiki:*'", ["value"], skipNulls: false);
        }
        if (groups.HasFlag(ConfigGroups.Subscriber) && repository.Scalar<long>("SELECT count(*) FROM sqlite_schema WHERE name='subscriber'") > 0)
        {
            Rows("/subscriber", $"SELECT CAST(mtime AS INTEGER), quote(semail), quote(suname), quote(sdigest), quote(sdonotcall), quote(ssub), quote(sctime), quote(smip) FROM subscriber WHERE sverified",
                ["suname", "sdigest", "sdonotcall", "ssub", "sctime", "smip"], skipNulls: false);
        }
        foreach (var (name, settingGroups) in Settings)
        {
            if ((settingGroups & groups) == 0 || name[0] == '@') continue;
            Rows("/config", $"SELECT {Mtime}, quote(name), quote(value) FROM config WHERE name=$n", ["value"], skipNulls: false, ("$n", name));
        }
        return records;
    }

    /// <summary>
    /// Merges one received <c>config</c> card into the repository if it belongs to
    /// <paramref name="accepted"/>: inserted when new, updated when the sender's row is newer.
    /// </summary>
    /// <returns>Whether the card was applied (even if it changed nothing).</returns>
    public static bool Receive(Repository repository, string card, ReadOnlySpan<byte> record, ConfigGroups accepted)
    {
        var type = Tables.FirstOrDefault(t => string.Equals(t.Card, card, StringComparison.Ordinal));
        if (type is null) return false;
        var tokens = new List<string>();
        var reader = new RecordReader(Encoding.UTF8.GetString(record));
        while (tokens.Count < 24 && reader.NextWord() is { } name && reader.NextSqlToken() is { } value)
        {
            if (!IsSafeSql(name)) return false;
            if (tokens.Count > 0)
            {
                if (!type.Fields.Contains(name, StringComparer.Ordinal)) continue;
            }
            else if (!name.All(char.IsAsciiDigit))
            {
                return false;
            }
            if (!IsSafeSql(value)) return false;
            tokens.Add(name);
            tokens.Add(value);
        }
        if (tokens.Count < 2) return false;
        var groups = type.Table == "config" ? GroupsOfSetting(tokens[1]) : GroupsOfSetting("@" + type.Table);
        if ((groups & accepted) == 0) return false;
        if (type.Table == "subscriber" && repository.Scalar<long>("SELECT count(*) FROM sqlite_schema WHERE name='subscriber'") == 0) return false;

        var columns = new StringBuilder($"\"{type.Key}\",mtime");
        var values = new StringBuilder($"{tokens[1]},{tokens[0]}");
        var updates = new StringBuilder($"mtime={tokens[0]}");
        for (int i = 2; i < tokens.Count; i += 2)
        {
            columns.Append(",\"").Append(tokens[i]).Append('"');
            values.Append(',').Append(tokens[i + 1]);
            updates.Append(", \"").Append(tokens[i]).Append("\"=").Append(tokens[i + 1]);
        }
        // Every token was checked to be a plain SQL literal and every column name is from Tables.
        if (repository.Execute($"INSERT OR IGNORE INTO \"{type.Table}\"({columns}) VALUES({values})") == 0)
        {
            repository.Execute($"UPDATE \"{type.Table}\" SET {updates} WHERE \"{type.Key}\"={tokens[1]} AND mtime<{tokens[0]}");
        }
        return true;
    }

    // configure_is_exportable, with the caller's permissions applied separately.
    private static ConfigGroups GroupsOfSetting(string quotedName)
    {
        string name = quotedName.Length > 2 && quotedName[0] == '\'' && quotedName[^1] == '\'' ? quotedName[1..^1] : quotedName;
        foreach (var (setting, groups) in Settings)
        {
            if (string.Equals(setting, name, StringComparison.Ordinal)) return groups;
        }
        if (name.StartsWith("walias:/", StringComparison.Ordinal)) return ConfigGroups.Alias;
        if (name.StartsWith("interwiki:", StringComparison.Ordinal)) return ConfigGroups.InterWiki;
        return ConfigGroups.None;
    }

    // Stock's safeSql: a string literal, a blob literal, or a run of letters and digits.
    internal static bool IsSafeSql(string token)
    {
        if (token.Length == 0) return false;
        int start = token[0] is 'x' or 'X' && token.Length > 1 && token[1] == '\'' ? 1 : 0;
        if (token[start] != '\'') return token.All(char.IsAsciiLetterOrDigit);
        for (int i = start + 1; i < token.Length; i++)
        {
            if (token[i] != '\'') continue;
            if (i + 1 < token.Length && token[i + 1] == '\'')
            {
                i++;
                continue;
            }
            return i == token.Length - 1;
        }
        return false;
    }

    /// <summary>Splits a record into words and SQL tokens (blob_token / blob_sqltoken).</summary>
    private ref struct RecordReader(string text)
    {
        private int _at;

        public string? NextWord()
        {
            SkipSpace();
            int start = _at;
            while (_at < text.Length && !char.IsWhiteSpace(text[_at])) _at++;
            return _at > start ? text[start.._at] : null;
        }

        // A quoted string may hold spaces and doubled quotes; anything else ends at white space.
        public string? NextSqlToken()
        {
            SkipSpace();
            int start = _at;
            if (_at < text.Length && text[_at] is 'x' or 'X' && _at + 1 < text.Length && text[_at + 1] == '\'') _at++;
            if (_at < text.Length && text[_at] == '\'')
            {
                _at++;
                while (_at < text.Length)
                {
                    if (text[_at] == '\'')
                    {
                        if (_at + 1 < text.Length && text[_at + 1] == '\'') _at += 2;
                        else { _at++; break; }
                    }
                    else _at++;
                }
            }
            else
            {
                while (_at < text.Length && !char.IsWhiteSpace(text[_at])) _at++;
            }
            return _at > start ? text[start.._at] : null;
        }

        private void SkipSpace()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at])) _at++;
        }
    }
}
