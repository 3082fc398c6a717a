namespace FossilSync.EndToEnd.Generation;

/// <summary>
/// The shape of a generated history: how many check-ins (plus the extra ones a second
/// repository has for the pull and push scenarios), how many files, how often branches,
/// merges and tags happen, and for a real-shaped history the few very large files edited
/// again and again (see <see cref="ProjectExtras"/>) and the wiki pages and tickets beside the code.
/// </summary>
internal sealed record HistoryProfile(
    string Name,
    int Commits,
    int ExtraCommits,
    int Files,
    int BinaryFiles,
    int MaxChangesPerCommit,
    int BranchEvery,
    int BranchLength,
    int TagEvery,
    ProjectExtras? Extras = null)
{
    /// <summary>About 1,000 check-ins over 300 files: a run of every scenario takes a minute or two.</summary>
    public static HistoryProfile Small { get; } = new("small", Commits: 1_000, ExtraCommits: 500, Files: 300, BinaryFiles: 6,
        MaxChangesPerCommit: 9, BranchEvery: 250, BranchLength: 120, TagEvery: 100);

    /// <summary>20,000 check-ins over 2,500 files, about 5 changed files each: well over 100,000 artifacts.</summary>
    public static HistoryProfile Large { get; } = new("large", Commits: 20_000, ExtraCommits: 500, Files: 2_500, BinaryFiles: 24,
        MaxChangesPerCommit: 9, BranchEvery: 2_500, BranchLength: 800, TagEvery: 1_000);

    /// <summary>
    /// Shaped like a real project (Fossil's own history), scaled so it generates in minutes: a
    /// 4 MB amalgamation and two smaller generated sources edited in about one check-in of eight,
    /// manifests of a few hundred files, short branches merged back, release tags, wiki and tickets.
    /// </summary>
    public static HistoryProfile Real { get; } = new("real", Commits: 3_000, ExtraCommits: 500, Files: 1_000, BinaryFiles: 10,
        MaxChangesPerCommit: 5, BranchEvery: 60, BranchLength: 30, TagEvery: 150,
        new ProjectExtras(LargeFileBytes: [4_000_000, 600_000, 250_000], LargeEditEvery: 8,
            WikiPages: 20, WikiEdits: 60, Tickets: 30, TicketChanges: 30));

    /// <summary>
    /// <see cref="Real"/> at full scale, the size of Fossil's own history (about 20,000 check-ins,
    /// an 8 MB amalgamation in some 600 versions, several GB expanded): generation takes long.
    /// </summary>
    public static HistoryProfile RealFull { get; } = new("real-full", Commits: 20_000, ExtraCommits: 500, Files: 1_500, BinaryFiles: 30,
        MaxChangesPerCommit: 5, BranchEvery: 60, BranchLength: 30, TagEvery: 250,
        new ProjectExtras(LargeFileBytes: [8_000_000, 1_000_000, 300_000], LargeEditEvery: 20,
            WikiPages: 60, WikiEdits: 200, Tickets: 150, TicketChanges: 150));

    /// <summary>
    /// Not generated: a real project's history imported from a git mirror (see
    /// <see cref="BenchmarkRepositories.GetOrBuildMirror"/>); it has no extra check-ins, so only the
    /// clone, no-op sync, verify and rebuild scenarios run on it.
    /// </summary>
    public static HistoryProfile Mirror { get; } = new("mirror", Commits: 0, ExtraCommits: 0, Files: 0, BinaryFiles: 0,
        MaxChangesPerCommit: 0, BranchEvery: 0, BranchLength: 0, TagEvery: 0);

    public static HistoryProfile Parse(string name) => name switch
    {
        "small" => Small,
        "large" => Large,
        "real" => Real,
        "real-full" => RealFull,
        "mirror" => Mirror,
        _ => throw new ArgumentException($"unknown size '{name}' (small, large, real, real-full or mirror)"),
    };
}

/// <summary>
/// What a real project's history has beyond many small edits: a few very large files (the first
/// is the amalgamation), one of which about every <paramref name="LargeEditEvery"/>th check-in
/// edits in many places, so their delta chains grow deep; and wiki pages (created, then edited
/// up to <paramref name="WikiEdits"/> versions in all) and tickets (opened, then changed
/// <paramref name="TicketChanges"/> times), made with stock fossil's own commands after the import.
/// </summary>
internal sealed record ProjectExtras(
    int[] LargeFileBytes,
    int LargeEditEvery,
    int WikiPages,
    int WikiEdits,
    int Tickets,
    int TicketChanges);
