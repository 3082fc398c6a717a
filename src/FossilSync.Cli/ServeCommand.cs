using FossilSync.AspNetCore;
using FossilSync.Http;

namespace FossilSync.Cli;

/// <summary><c>fossilsync serve REPO [--port N] [--host H]</c>: serves a repository until Ctrl+C.</summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        string? repository = null, host = "127.0.0.1";
        int port = 8080;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], out port): i++; break;
                case "--host" when i + 1 < args.Length: host = args[++i]; break;
                default: repository = args[i]; break;
            }
        }
        if (repository is null) return await Usage.FailAsync(stderr, "serve REPO [--port N] [--host H]");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        // A service manager (or kill) stops the server with SIGTERM: shut down as on Ctrl+C.
        using var onTerminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
        await using var server = await FossilSyncServer.StartAsync(repository, $"http://{host}:{port}", cancellationToken: stop.Token);
        await stdout.WriteLineAsync($"serving {Path.GetFullPath(repository)} at {server.Url} (Ctrl+C or SIGTERM stops)");
        await server.WaitAsync(stop.Token);
        return 0;
    }
}
