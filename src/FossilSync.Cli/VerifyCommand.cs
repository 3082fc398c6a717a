using FossilSync.Repo;

namespace FossilSync.Cli;

/// <summary>
/// <c>fossilsync verify REPO</c>: expands and re-hashes every artifact; exits 1 naming each bad one.
/// </summary>
internal static class VerifyCommand
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (args.Length != 1) return Usage.FailAsync(stderr, "verify REPO");
        using var repository = Repository.Open(args[0]);
        var report = repository.Verify(cancellationToken);
        foreach (var problem in report.Problems)
        {
            stderr.WriteLine($"bad artifact {problem.Hash} (rid {problem.Rid}): {problem.Reason}");
        }
        stdout.WriteLine($"{report.Verified} artifacts verified");
        if (report.Skipped > 0) stdout.WriteLine($"{report.Skipped} artifacts not checked: their delta chain reaches a missing (phantom) artifact");
        if (!report.IsOk) stdout.WriteLine($"{report.Problems.Count} bad artifacts");
        return Task.FromResult(report.IsOk ? 0 : 1);
    }
}
