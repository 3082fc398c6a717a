using System.CommandLine;
using FossilSync.Repo;

namespace FossilSync.Cli;

/// <summary>
/// <c>fossilsync verify REPO</c>: expands and re-hashes every artifact; exits 1 naming each bad one.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(CliOutput output)
    {
        var repositoryArgument = CliArguments.ExistingRepository("the repository to check");
        var command = new CliCommand("verify", "Expand and re-hash every artifact; exit 1 naming any bad one.",
            "fossilsync verify project.fossil")
        {
            repositoryArgument,
        };
        command.SetAction((parsed, cancellationToken) =>
        {
            using var repository = Repository.Open(parsed.GetRequiredValue(repositoryArgument));
            var report = repository.Verify(cancellationToken);
            foreach (var problem in report.Problems)
            {
                output.Error.WriteLine($"bad artifact {problem.Hash} (rid {problem.Rid}): {problem.Reason}");
            }
            output.Out.WriteLine($"{report.Verified} artifacts verified");
            if (report.Skipped > 0) output.Out.WriteLine($"{report.Skipped} artifacts not checked: their delta chain reaches a missing (phantom) artifact");
            if (!report.IsOk) output.Out.WriteLine($"{report.Problems.Count} bad artifacts");
            return Task.FromResult(report.IsOk ? ExitCodes.Success : ExitCodes.Failed);
        });
        return command;
    }
}
