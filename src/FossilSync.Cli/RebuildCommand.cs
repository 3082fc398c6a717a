using FossilSync.Repo;

namespace FossilSync.Cli;

/// <summary><c>fossilsync rebuild REPO</c>: re-derives the timeline tables from the stored artifacts.</summary>
internal static class RebuildCommand
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (args.Length != 1) return Usage.FailAsync(stderr, "rebuild REPO");
        using var repository = Repository.Open(args[0]);
        int linked = repository.Rebuild(cancellationToken);
        stdout.WriteLine($"{linked} artifacts linked");
        return Task.FromResult(0);
    }
}
