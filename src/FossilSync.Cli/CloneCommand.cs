using FossilSync.Http;
using FossilSync.Sync;

namespace FossilSync.Cli;

/// <summary>
/// <c>fossilsync clone URL REPO [--user U] [--password P] [--uv] [--resume | --no-resume]</c>:
/// clones a remote repository. The clone is built in <c>REPO.fossilsync-partial</c> and becomes
/// REPO only when whole; an interrupted clone is continued by running the same command again
/// (<c>--resume</c> insists on it, <c>--no-resume</c> starts over). Ctrl+C and SIGTERM cancel it.
/// </summary>
internal static class CloneCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var resume = CloneResume.Automatic;
        if (args.Contains("--resume")) resume = CloneResume.Required;
        if (args.Contains("--no-resume")) resume = CloneResume.Never;
        args = [.. args.Where(a => a is not ("--resume" or "--no-resume"))];
        if (RemoteArguments.Parse(args) is not { } remote) return await Usage.FailAsync(stderr, "clone URL REPO [--user U] [--password P] [--uv] [--resume | --no-resume]");
        using var transport = new HttpTransport(remote.Url.Endpoint);
        var progress = new ProgressBar(stderr, "cloning");
        var options = new CloneOptions
        {
            User = remote.User,
            Password = remote.Password,
            Unversioned = remote.Unversioned,
            Progress = progress,
            Resume = resume,
        };
        var (repository, result) = await FossilClient.CloneAsync(transport, remote.Repository, options, cancellationToken);
        progress.Finish();
        using (repository)
        {
            foreach (string message in result.Messages) stdout.WriteLine($"server says: {message}");
            stdout.WriteLine($"project-id: {result.ProjectCode}");
            stdout.WriteLine($"server-id:  {result.ServerCode}");
            stdout.WriteLine($"{result.Rounds} rounds, {result.ArtifactsReceived} artifacts received, {result.ArtifactsLinked} linked");
        }
        return 0;
    }
}
