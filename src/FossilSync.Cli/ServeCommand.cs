using System.CommandLine;
using FossilSync.AspNetCore;
using FossilSync.Http;
using FossilSync.Nats;

namespace FossilSync.Cli;

/// <summary>
/// <c>fossilsync serve REPO|DIR [--port N] [--host H] [--repolist] [--nats URL]</c>: serves a
/// repository (over HTTP, and as a NATS hub with --nats), or a folder of them as stock
/// <c>fossil server DIR</c> does, until Ctrl+C or SIGTERM.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CliOutput output)
    {
        var repositoryArgument = new Argument<string>("REPO") { Description = "the repository to serve, or a folder of repositories (DIR/NAME.fossil is served at /NAME)" };
        repositoryArgument.Validators.Add(result =>
        {
            string? path = result.GetValueOrDefault<string?>();
            if (path is not null && !Directory.Exists(path) && CliArguments.ExistingRepositoryError(path) is { } error) result.AddError(error);
        });
        var repositoryList = new Option<bool>("--repolist") { Description = "with a folder: GET / lists its repositories, as stock's --repolist (without it, 404)" };
        var port = CliArguments.Port(defaultPort: 8080);
        var host = new Option<string>("--host") { Description = "address to listen on (0.0.0.0: every interface)", HelpName = "H", DefaultValueFactory = _ => "127.0.0.1" };
        var nats = new Option<string>("--nats") { Description = "also serve as a hub on this NATS server (nats://HOST:PORT), announcing changes", HelpName = "URL" };
        nats.Validators.Add(result =>
        {
            string? text = result.GetValueOrDefault<string?>();
            if (text is not null && (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != NatsRemote.Scheme))
            {
                result.AddError($"--nats must be a nats://HOST:PORT URL, not '{text}'");
            }
        });
        var command = new CliCommand("serve", "Serve a repository, or a folder of them, over HTTP to stock fossil clients (and fossilsync) until Ctrl+C or SIGTERM.",
            "fossilsync serve project.fossil",
            "fossilsync serve repos/ --repolist   (repos/team/app.fossil is http://127.0.0.1:8080/team/app)",
            "fossilsync serve project.fossil --port 8081 --host 0.0.0.0",
            "fossilsync serve project.fossil --nats nats://127.0.0.1:4222",
            "fossil clone http://127.0.0.1:8080/ copy.fossil   (from another terminal)")
        {
            repositoryArgument,
            port,
            host,
            repositoryList,
            nats,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(repositoryArgument) is not { } path) return;
            bool folder = Directory.Exists(path);
            if (!folder && result.GetValue(repositoryList)) result.AddError($"--repolist lists a folder of repositories; '{path}' is a file");
            if (folder && result.GetValue(nats) is not null) result.AddError($"--nats serves one repository file, not a folder ('{path}')");
        });
        command.SetAction(async (parsed, cancellationToken) =>
        {
            string repository = parsed.GetRequiredValue(repositoryArgument);
            string url = $"http://{parsed.GetRequiredValue(host)}:{parsed.GetValue(port)}";
            bool folder = Directory.Exists(repository);
            await using var hub = folder ? null : await StartHubAsync(repository, parsed.GetValue(nats), output, cancellationToken);
            FossilSyncServer server;
            try
            {
                server = folder
                    ? await FossilSyncServer.StartFolderAsync(repository, url, parsed.GetValue(repositoryList), cancellationToken: cancellationToken)
                    : await FossilSyncServer.StartAsync(repository, url, hub?.Server.SyncOptions, cancellationToken);
            }
            catch (IOException ex)
            {
                // Kestrel's bind failure wraps the socket's reason ("Address already in use"), which is what the user needs.
                throw new CommandFailedException($"cannot serve on {url}: {(ex.InnerException ?? ex).Message}", ex);
            }
            await using (server)
            {
                await output.Out.WriteLineAsync(folder
                    ? $"serving the repositories in {Path.GetFullPath(repository)} at {server.Url}NAME (Ctrl+C or SIGTERM stops)"
                    : $"serving {Path.GetFullPath(repository)} at {server.Url} (Ctrl+C or SIGTERM stops)");
                await output.Out.FlushAsync(CancellationToken.None);
                // Stopping is this command's normal end: the server shuts down and the exit code is 0.
                await server.WaitAsync(cancellationToken);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    // The hub answers over NATS; the HTTP host shares its options, so HTTP pushes are announced too.
    private static async Task<Hub?> StartHubAsync(string repository, string? natsUrl, CliOutput output, CancellationToken cancellationToken)
    {
        if (natsUrl is null) return null;
        var uri = new Uri(natsUrl);
        string server = NatsRemote.ServerOf(uri.IsDefaultPort ? new UriBuilder(uri) { Port = 4222 }.Uri : uri);
        var connection = await NatsRemote.ConnectAsync(server);
        try
        {
            var hub = await FossilNatsServer.StartAsync(connection, [repository], cancellationToken: cancellationToken);
            await output.Out.WriteLineAsync($"serving {Path.GetFullPath(repository)} on {server} as hub {hub.HubId}: nats://{uri.Host}:{uri.Port}/{hub.ProjectCodes.Single()}");
            return new Hub(hub, connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed record Hub(FossilNatsServer Server, NATS.Client.Core.NatsConnection Connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            await Connection.DisposeAsync();
        }
    }
}
