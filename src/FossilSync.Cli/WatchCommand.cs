using System.CommandLine;
using FossilSync.Http;
using FossilSync.Nats;

namespace FossilSync.Cli;

/// <summary>
/// <c>fossilsync watch URL REPO [--user U] [--password P] [--interval SECONDS]</c>: keeps REPO in
/// step with the remote until Ctrl+C or SIGTERM. Over NATS it pulls as soon as a hub announces
/// a change; over HTTP, and as a fallback, it syncs every interval; a local commit is pushed.
/// </summary>
internal static class WatchCommand
{
    public static Command Create(CliOutput output)
    {
        var command = new CliCommand("watch",
            "Keep a local repository in step with a remote one until Ctrl+C or SIGTERM: pull on each change notice (NATS), push local commits, and sync every --interval seconds.",
            "fossilsync watch nats://127.0.0.1:4222/PROJECT-CODE copy.fossil",
            "fossilsync watch nats://alice:secret@127.0.0.1:4222/PROJECT-CODE copy.fossil --interval 60",
            "fossilsync watch http://127.0.0.1:8080/ copy.fossil --interval 10");
        var remote = new RemoteArguments.Symbols(command, CliArguments.ExistingRepository("the local repository kept in step"), withPrivate: false);
        var interval = new Option<int>("--interval")
        {
            Description = "sync at least every N seconds, notice or not (1-86400)",
            HelpName = "N",
            DefaultValueFactory = _ => 30,
        };
        interval.Validators.Add(result =>
        {
            int seconds = result.GetValueOrDefault<int>();
            if (seconds is < 1 or > 86400) result.AddError($"--interval must be from 1 to 86400 seconds, not {seconds}");
        });
        command.Add(interval);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var arguments = remote.Read(parsed);
            var options = new FossilWatcherOptions
            {
                User = arguments.User,
                Password = arguments.Password,
                FallbackInterval = TimeSpan.FromSeconds(parsed.GetValue(interval)),
                Synced = result => output.Out.WriteLine($"synced: {result.FilesReceived} artifacts received, {result.FilesSent} sent"),
            };
            if (arguments.Url.Endpoint.Scheme == NatsRemote.Scheme)
            {
                string server = NatsRemote.ServerOf(arguments.Url.Endpoint);
                await using var connection = await NatsRemote.ConnectAsync(server);
                string code = arguments.Url.Endpoint.AbsolutePath.Trim('/');
                string local;
                using (var repository = Repo.Repository.Open(arguments.Repository)) local = repository.ProjectCode;
                if (local != code) throw new CommandFailedException($"{arguments.Repository} is of project {local}, not {code}");
                await output.Out.WriteLineAsync($"watching {code} on {server} for {Path.GetFullPath(arguments.Repository)} (Ctrl+C or SIGTERM stops)");
                await FossilWatcher.ForNats(arguments.Repository, connection, options).RunAsync(cancellationToken);
            }
            else
            {
                var endpoint = arguments.Url.Endpoint;
                await output.Out.WriteLineAsync($"watching {endpoint} for {Path.GetFullPath(arguments.Repository)} (Ctrl+C or SIGTERM stops)");
                await new FossilWatcher(arguments.Repository, _ => new HttpTransport(endpoint), null, options).RunAsync(cancellationToken);
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
