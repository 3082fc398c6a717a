using FossilSync.Tests.Infrastructure;

namespace FossilSync.EndToEnd.Scenarios;

/// <summary>
/// What a finished run must have produced, checked with stock fossil: a repository stock fossil
/// can show a timeline of, or one holding every artifact of another.
/// </summary>
internal static class UsabilityChecks
{
    /// <summary><c>fossil timeline -n 5 -R REPO</c> succeeds.</summary>
    public static string? TimelineWorks(string folder, string repository)
    {
        var result = StockFossil.Run(folder, "timeline", "-n", "5", "-R", repository);
        return result.ExitCode == 0 ? null : $"fossil timeline -R {Path.GetFileName(repository)} failed: {Tail(result.Stderr + result.Stdout)}";
    }

    /// <summary>Every artifact (not phantom) of <paramref name="subset"/> is also in <paramref name="superset"/>.</summary>
    public static string? HasAllArtifacts(string folder, string superset, string subset)
    {
        var have = Artifacts(folder, superset);
        var missing = Artifacts(folder, subset).Where(h => !have.Contains(h)).ToList();
        return missing.Count == 0 ? null
            : $"{Path.GetFileName(superset)} lacks {missing.Count} artifacts of {Path.GetFileName(subset)} (e.g. {missing[0]})";
    }

    /// <summary>A <c>fossil test-integrity</c> report that found nothing wrong.</summary>
    public static string? IntegrityReportOk(string stdout) =>
        System.Text.RegularExpressions.Regex.IsMatch(stdout, @"checked:\s+0 errors") ? null : $"test-integrity reported errors: {Tail(stdout)}";

    /// <summary>Runs <paramref name="checks"/> in order; the first failure wins.</summary>
    public static string? All(params Func<string?>[] checks) =>
        checks.Select(check => check()).FirstOrDefault(failure => failure is not null);

    private static HashSet<string> Artifacts(string folder, string repository)
    {
        string listing = StockFossil.Ok(folder, "sql", "-R", repository, "select uuid from blob where size>=0");
        return listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Trim('\''))
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The end of a command's output, without the progress text both CLIs repaint with
    /// <c>\r</c> (<c>round N: …</c>, <c>Round-trips: …</c>), so the error itself shows even
    /// when it is glued to the last progress line.
    /// </summary>
    public static string Tail(string text, int length = 400)
    {
        var lines = ProgressText.Replace(text, "")
            .Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string flat = string.Join(" | ", lines);
        return flat.Length <= length ? flat : "…" + flat[^length..];
    }

    private static readonly System.Text.RegularExpressions.Regex ProgressText =
        new(@"round \d+: \d+ artifacts( received|, \d+ KiB)?|Round-trips: \d+\s+Artifacts sent: \d+\s+received: \d+");
}
