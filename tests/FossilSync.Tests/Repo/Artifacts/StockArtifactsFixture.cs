using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo.Artifacts;

/// <summary>
/// A repository made by stock fossil holding one or more artifacts of every kind its 2.21
/// command line can create, with each artifact's exact bytes (from <c>fossil artifact</c>).
/// </summary>
public sealed class StockArtifactsFixture : IDisposable
{
    private readonly TempDirectory _dir = new();

    public StockArtifactsFixture()
    {
        string repo = _dir.File("r.fossil");
        string work = Path.Combine(_dir.Path, "co");
        Directory.CreateDirectory(work);
        StockFossil.Ok(_dir.Path, "new", repo);
        StockFossil.Ok(work, "open", repo);
        StockFossil.Ok(work, "settings", "autosync", "off");
        File.WriteAllText(Path.Combine(work, "a.txt"), "a\n");
        File.WriteAllText(Path.Combine(work, "b file.txt"), "b\n");
        File.WriteAllText(Path.Combine(work, "tool.sh"), "#!/bin/sh\n");
        StockFossil.Ok(work, "add", ".");
        StockFossil.Ok(work, "commit", "-m", "first commit", "--no-warnings");
        File.AppendAllText(Path.Combine(work, "a.txt"), "more\n");
        StockFossil.Ok(work, "commit", "-m", "on a branch", "--branch", "feature", "--no-warnings");
        StockFossil.Ok(work, "update", "trunk");
        StockFossil.Ok(work, "mv", "--hard", "b file.txt", "renamed.txt");
        StockFossil.Ok(work, "rm", "--hard", "tool.sh");
        StockFossil.Ok(work, "commit", "-m", "rename and delete\twith a tab", "--no-warnings");
        StockFossil.Ok(work, "merge", "feature");
        StockFossil.Ok(work, "commit", "-m", "merge feature", "--no-warnings");
        StockFossil.Ok(work, "tag", "add", "v1.0", "trunk");
        StockFossil.Ok(work, "tag", "cancel", "v1.0", "trunk");
        File.WriteAllText(_dir.File("wiki.txt"), "hello wiki\n");
        StockFossil.Ok(work, "wiki", "create", "Home Page", _dir.File("wiki.txt"));
        StockFossil.Ok(work, "wiki", "create", "Note 1", _dir.File("wiki.txt"), "--technote", "2024-01-02 03:04:05");
        StockFossil.Ok(work, "ticket", "add", "title", "A bug", "status", "Open");
        File.WriteAllText(_dir.File("att.txt"), "attached\n");
        StockFossil.Ok(work, "attachment", "add", "Home Page", _dir.File("att.txt"));
        StockFossil.Ok(work, "close");

        foreach (string line in StockFossil.Ok(_dir.Path, "sql", "-R", repo, "select rid, uuid from blob order by rid").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = line.Split(',');
            string hash = parts[1].Trim('\'');
            var result = StockFossil.Run(_dir.Path, "artifact", hash, "-R", repo);
            Artifacts.Add(new StockArtifact(int.Parse(parts[0]), hash, result.StdoutBytes));
        }
        foreach (string line in StockFossil.Ok(_dir.Path, "sql", "-R", repo, "select objid, type from event").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = line.Split(',');
            EventTypes[int.Parse(parts[0])] = parts[1].Trim('\'');
        }
        foreach (string line in StockFossil.Ok(_dir.Path, "sql", "-R", repo, "select attachid from attachment").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Attachments.Add(int.Parse(line));
        }
    }

    /// <summary>Every blob of the repository with its exact content.</summary>
    public List<StockArtifact> Artifacts { get; } = [];

    /// <summary>event.type by rid, as stock fossil's crosslinker recorded it.</summary>
    public Dictionary<int, string> EventTypes { get; } = [];

    /// <summary>rids of attachment artifacts.</summary>
    public HashSet<int> Attachments { get; } = [];

    /// <summary>A scratch directory that lives as long as the fixture.</summary>
    public string Scratch => _dir.Path;

    public void Dispose() => _dir.Dispose();
}

public sealed record StockArtifact(int Rid, string Hash, byte[] Content);
