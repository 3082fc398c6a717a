using System.Diagnostics;
using FossilSync.Repo;
using FossilSync.Repo.Crosslink;

namespace FossilSync.Cli;

/// <summary><c>fossilsync rebuild REPO</c>: re-derives every derived table from the stored artifacts, as <c>fossil rebuild</c> does.</summary>
internal static class RebuildCommand
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (args.Length != 1) return Usage.FailAsync(stderr, "rebuild REPO");
        var clock = Stopwatch.StartNew();
        using var repository = Repository.Open(args[0]);
        int linked = Rebuilder.Run(repository, cancellationToken: cancellationToken);
        stdout.WriteLine($"{linked} artifacts crosslinked in {clock.Elapsed.TotalSeconds:0.000} s");
        return Task.FromResult(0);
    }
}
