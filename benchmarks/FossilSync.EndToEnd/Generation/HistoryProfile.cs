namespace FossilSync.EndToEnd.Generation;

/// <summary>
/// The shape of a generated history: how many check-ins (plus the extra ones a second
/// repository has for the pull and push scenarios), how many files, how often branches,
/// merges and tags happen.
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
    int TagEvery)
{
    /// <summary>About 1,000 check-ins over 300 files: a run of every scenario takes a minute or two.</summary>
    public static HistoryProfile Small { get; } = new("small", Commits: 1_000, ExtraCommits: 500, Files: 300, BinaryFiles: 6,
        MaxChangesPerCommit: 9, BranchEvery: 250, BranchLength: 120, TagEvery: 100);

    /// <summary>20,000 check-ins over 2,500 files, about 5 changed files each: well over 100,000 artifacts.</summary>
    public static HistoryProfile Large { get; } = new("large", Commits: 20_000, ExtraCommits: 500, Files: 2_500, BinaryFiles: 24,
        MaxChangesPerCommit: 9, BranchEvery: 2_500, BranchLength: 800, TagEvery: 1_000);

    public static HistoryProfile Parse(string name) => name switch
    {
        "small" => Small,
        "large" => Large,
        _ => throw new ArgumentException($"unknown size '{name}' (small or large)"),
    };
}
