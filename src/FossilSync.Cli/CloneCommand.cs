using FossilSync.Http;
using FossilSync.Sync;

namespace FossilSync.Cli;

/// <summary><c>fossilsync clone URL REPO [--user U] [--password P]</c>: clones a remote repository.</summary>
internal static class CloneCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var positional = new List<string>();
        string? user = null, password = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--user" when i + 1 < args.Length: user = args[++i]; break;
                case "--password" when i + 1 < args.Length: password = args[++i]; break;
                default: positional.Add(args[i]); break;
            }
        }
        if (positional.Count != 2) return await Usage.FailAsync(stderr, "clone URL REPO [--user U] [--password P]");
        var url = FossilUrl.Parse(positional[0]);
        using var transport = new HttpTransport(url.Endpoint);
        var options = new CloneOptions
        {
            User = user ?? url.User,
            Password = password ?? url.Password,
            Progress = new Progress<SyncProgress>(p => stderr.Write($"\rround {p.Round}: {p.ArtifactsReceived} artifacts, {p.BytesReceived / 1024} KiB")),
        };
        var (repository, result) = await FossilClient.CloneAsync(transport, positional[1], options, cancellationToken);
        using (repository)
        {
            stderr.WriteLine();
            foreach (string message in result.Messages) stdout.WriteLine($"server says: {message}");
            stdout.WriteLine($"project-id: {result.ProjectCode}");
            stdout.WriteLine($"server-id:  {result.ServerCode}");
            stdout.WriteLine($"{result.Rounds} rounds, {result.ArtifactsReceived} artifacts received, {result.ArtifactsLinked} linked");
        }
        return 0;
    }
}
