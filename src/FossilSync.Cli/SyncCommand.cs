using FossilSync.Http;
using FossilSync.Repo;
using FossilSync.Sync;

namespace FossilSync.Cli;

/// <summary><c>fossilsync sync|push|pull URL REPO [--user U] [--password P]</c>.</summary>
internal static class SyncCommand
{
    public static async Task<int> RunAsync(string verb, string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (RemoteArguments.Parse(args) is not { } remote) return await Usage.FailAsync(stderr, $"{verb} URL REPO [--user U] [--password P] [--uv] [--private]");
        using var repository = Repository.Open(remote.Repository);
        using var transport = new HttpTransport(remote.Url.Endpoint);
        var progress = new ProgressBar(stderr, verb == "sync" ? "syncing" : verb + "ing");
        var options = new SyncOptions
        {
            Pull = verb != "push",
            Push = verb != "pull",
            User = remote.User,
            Password = remote.Password,
            Unversioned = remote.Unversioned,
            Private = remote.Private,
            Progress = progress,
        };
        var result = await FossilClient.SyncAsync(repository, transport, options, cancellationToken);
        progress.Finish();
        foreach (string message in result.Messages) stdout.WriteLine($"server says: {message}");
        stdout.WriteLine($"{result.Rounds} rounds, {result.FilesSent} artifacts sent, {result.FilesReceived} received, {result.ArtifactsLinked} linked");
        return 0;
    }
}
