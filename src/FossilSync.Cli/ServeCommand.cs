using System.CommandLine;
using FossilSync.AspNetCore;
using FossilSync.Http;

namespace FossilSync.Cli;

/// <summary><c>fossilsync serve REPO [--port N] [--host H]</c>: serves a repository until Ctrl+C or SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Create(CliOutput output)
    {
        var repositoryArgument = CliArguments.ExistingRepository("the repository to serve");
        var port = CliArguments.Port(defaultPort: 8080);
        var host = new Option<string>("--host") { Description = "address to listen on (0.0.0.0: every interface)", HelpName = "H", DefaultValueFactory = _ => "127.0.0.1" };
        var command = new CliCommand("serve", "Serve a repository over HTTP to stock fossil clients (and fossilsync) until Ctrl+C or SIGTERM.",
            "fossilsync serve project.fossil",
            "fossilsync serve project.fossil --port 8081 --host 0.0.0.0",
            "fossil clone http://127.0.0.1:8080/ copy.fossil   (from another terminal)")
        {
            repositoryArgument,
            port,
            host,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            string repository = parsed.GetRequiredValue(repositoryArgument);
            string url = $"http://{parsed.GetRequiredValue(host)}:{parsed.GetValue(port)}";
            FossilSyncServer server;
            try
            {
                server = await FossilSyncServer.StartAsync(repository, url, cancellationToken: cancellationToken);
            }
            catch (IOException ex)
            {
                // Kestrel's bind failure wraps the socket's reason ("Address already in use"), which is what the user needs.
                throw new CommandFailedException($"cannot serve on {url}: {(ex.InnerException ?? ex).Message}", ex);
            }
            await using (server)
            {
                await output.Out.WriteLineAsync($"serving {Path.GetFullPath(repository)} at {server.Url} (Ctrl+C or SIGTERM stops)");
                await output.Out.FlushAsync(CancellationToken.None);
                // Stopping is this command's normal end: the server shuts down and the exit code is 0.
                await server.WaitAsync(cancellationToken);
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
