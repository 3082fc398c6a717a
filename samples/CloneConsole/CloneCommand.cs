using FossilSync.Http;
using FossilSync.Sync;

namespace CloneConsole;

/// <summary><c>CloneConsole URL FILE</c>: clones the repository served at URL into FILE.</summary>
public static class CloneCommand
{
    /// <summary>Runs the clone; 0 when it is done, 1 on a failure or a wrong command line (said on <paramref name="output"/>).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        if (args.Length != 2)
        {
            output.WriteLine("usage: CloneConsole URL FILE   (e.g. http://alice:secret@127.0.0.1:8080/ copy.fossil)");
            return 1;
        }
        var url = FossilUrl.Parse(args[0]);
        using var transport = new HttpTransport(url.Endpoint);
        try
        {
            var (clone, result) = await FossilClient.CloneAsync(transport, args[1],
                new CloneOptions { User = url.User, Password = url.Password }, cancellationToken);
            using (clone) output.WriteLine($"cloned project {result.ProjectCode}: {result.ArtifactsReceived} artifacts in {result.Rounds} rounds");
            return 0;
        }
        catch (FossilSync.FossilSyncException ex)
        {
            output.WriteLine($"clone failed: {ex.Message}");
            return 1;
        }
    }
}
