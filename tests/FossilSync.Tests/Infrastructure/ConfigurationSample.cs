namespace FossilSync.Tests.Infrastructure;

/// <summary>
/// Configuration that a clone copies (settings, skin, shun list, ticket reports, concealed
/// addresses, aliases, users), written into a repository with stock fossil, and a snapshot of
/// it to compare what two clones received.
/// </summary>
public static class ConfigurationSample
{
    /// <summary>Fills <paramref name="repository"/> with one row of each transferable kind.</summary>
    public static void WriteInto(string folder, string repository)
    {
        StockFossil.Ok(folder, "sql", "-R", repository, """
            REPLACE INTO config(name, value, mtime) VALUES('project-name', 'Configuration sample', 1700000000);
            REPLACE INTO config(name, value, mtime) VALUES('header', '<div class="hdr">it''s a header</div>', 1700000001);
            REPLACE INTO config(name, value, mtime) VALUES('ticket-title-expr', 'title', 1700000002);
            REPLACE INTO config(name, value, mtime) VALUES('walias:/docs', '/doc/trunk/www/index.wiki', 1700000003);
            REPLACE INTO config(name, value, mtime) VALUES('binary-glob', '*.bin', 1700000004);
            INSERT INTO shun(uuid, mtime, scom) VALUES('0123456789abcdef0123456789abcdef01234567', 1700000005, 'spam');
            INSERT INTO reportfmt(owner, title, mtime, cols, sqlcode) VALUES('alice', 'Open bugs', 1700000006, '#ffffff Key:', 'SELECT 1');
            INSERT INTO concealed(hash, mtime, content) VALUES('4e3f3f1a6d7b3c1ab0e5a1a7dd8c0b4a2f6e9d10', 1700000007, 'bob@example.com');
            INSERT INTO user(login, pw, cap, info, mtime) VALUES('bob', 'bobs-hash', 'o', 'Bob the reader', 1700000008);
            """);
    }

    /// <summary>
    /// The transferable configuration of <paramref name="repository"/>, one line per row, leaving
    /// out the <paramref name="localAdmin"/> user each clone makes for itself.
    /// </summary>
    public static string Snapshot(string folder, string repository, string localAdmin) =>
        StockFossil.Ok(folder, "sql", "-R", repository, $"""
            SELECT 'config', name, value FROM config
             WHERE name IN ('project-name','header','ticket-title-expr','walias:/docs','binary-glob','hash-policy') ORDER BY name;
            SELECT 'shun', uuid, scom FROM shun ORDER BY uuid;
            SELECT 'reportfmt', title, owner, cols, sqlcode FROM reportfmt ORDER BY title;
            SELECT 'concealed', hash, content FROM concealed ORDER BY hash;
            SELECT 'user', login, cap, info FROM user WHERE login<>'{localAdmin}' ORDER BY login;
            """);
}
