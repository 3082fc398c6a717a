namespace FossilSync.Tests.Infrastructure;

/// <summary>
/// A stock repository whose history is long enough that <c>fossil import</c> listed it in
/// clusters (so a push advertises only a few names and the rest must follow the clusters), and
/// an empty repository of the same project for it to be pushed into.
/// </summary>
public sealed class ClusteredHistoryFixture : GeneratedRepositoryFixture
{
    public ClusteredHistoryFixture() : base("history.fossil")
    {
        StockRepositoryBuilder.Build(Path, commits: 800, seed: 805);
        EmptyTwin = System.IO.Path.Combine(Folder, "empty-twin.fossil");
        StockFossil.Ok(Folder, "new", EmptyTwin);
        string projectCode = StockFossil.Ok(Folder, "sql", "-R", Path, "SELECT value FROM config WHERE name='project-code'").Trim().Trim('\'');
        // 'fossil new' makes an initial check-in: drop it and everything derived, keep the project.
        StockFossil.Ok(Folder, "sql", "-R", EmptyTwin,
            "DELETE FROM blob; DELETE FROM delta; DELETE FROM unclustered; DELETE FROM unsent; DELETE FROM event; DELETE FROM leaf; DELETE FROM tagxref; DELETE FROM plink; DELETE FROM mlink;"
            + $" UPDATE config SET value='{projectCode}' WHERE name='project-code'");
        StockFossil.Ok(Folder, "rebuild", EmptyTwin);
        StockFossil.Ok(Folder, "user", "new", "alice", "", "secret", "-R", EmptyTwin);
        StockFossil.Ok(Folder, "user", "capabilities", "alice", "oi", "-R", EmptyTwin);
    }

    /// <summary>An empty repository of the history's project, with a user alice (password secret) who may push.</summary>
    public string EmptyTwin { get; }

    /// <summary>A private copy of <see cref="EmptyTwin"/>.</summary>
    public string CopyEmptyTwinTo(TempDirectory dir, string name = "twin.fossil")
    {
        string copy = dir.File(name);
        File.Copy(EmptyTwin, copy);
        return copy;
    }
}
