using FossilSync.Http;
using FossilSync.Sync;

namespace FossilSync.Cli;

/// <summary><c>fossilsync clone URL REPO [--user U] [--password P]</c>: clones a remote repository.</summary>
internal static class CloneCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (RemoteArguments.Parse(args) is not { } remote) return await Usage.FailAsync(stderr, "clone URL REPO [--user U] [--password P] [--uv]");
        using var transport = new HttpTransport(remote.Url.Endpoint);
        var progress = new ProgressBar(stderr, "cloning");
        var options = new CloneOptions
        {
            User = remote.User,
            Password = remote.Password,
            Unversioned = remote.Unversioned,
            Progress = progress,
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
