using System.CommandLine;
using System.Diagnostics;
using FossilSync.Repo;
using FossilSync.Repo.Crosslink;

namespace FossilSync.Cli;

/// <summary><c>fossilsync rebuild REPO</c>: re-derives every derived table from the stored artifacts, as <c>fossil rebuild</c> does.</summary>
internal static class RebuildCommand
{
    public static Command Create(CliOutput output)
    {
        var repositoryArgument = CliArguments.ExistingRepository("the repository to rebuild");
        var command = new CliCommand("rebuild", "Re-derive timeline, tags, leaves... from the artifacts (as fossil rebuild).",
            "fossilsync rebuild project.fossil")
        {
            repositoryArgument,
        };
        command.SetAction((parsed, cancellationToken) =>
        {
            var clock = Stopwatch.StartNew();
            using var repository = Repository.Open(parsed.GetRequiredValue(repositoryArgument));
            int linked = repository.Rebuild(cancellationToken);
            output.Out.WriteLine($"{linked} artifacts crosslinked in {clock.Elapsed.TotalSeconds:0.000} s");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
