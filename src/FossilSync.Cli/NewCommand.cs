using FossilSync.Repo;

namespace FossilSync.Cli;

/// <summary><c>fossilsync new REPO</c>: creates an empty repository stock fossil can open.</summary>
internal static class NewCommand
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length != 1) return Usage.FailAsync(stderr, "new REPO");
        using var repository = Repository.Create(args[0]);
        stdout.WriteLine($"project-id: {repository.ProjectCode}");
        stdout.WriteLine($"server-id:  {repository.ServerCode}");
        stdout.WriteLine($"repository: {repository.Path}");
        return Task.FromResult(0);
    }
}
