using System.CommandLine;
using FossilSync.Repo;
using FossilSync.Sync;

namespace FossilSync.Cli;

/// <summary><c>fossilsync sync|push|pull [URL] REPO [--user U] [--password P] [--uv] [--tables] [--private]</c>; without URL, the remote REPO recorded.</summary>
internal static class SyncCommand
{
    public static Command Create(string verb, CliOutput output)
    {
        string description = verb switch
        {
            "push" => "Send the local repository's new artifacts to a remote one.",
            "pull" => "Fetch a remote repository's new artifacts into the local one.",
            _ => "Push and pull: bring a local repository and a remote one in step.",
        };
        var command = new CliCommand(verb, description,
            $"fossilsync {verb} copy.fossil",
            $"fossilsync {verb} http://127.0.0.1:8080/ copy.fossil",
            $"fossilsync {verb} https://fossil.example.org/repo copy.fossil --user alice --password secret --uv",
            $"fossilsync {verb} http://127.0.0.1:8080/ copy.fossil --user alice --password secret --tables");
        var remote = new SyncRemoteArguments(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            using var repository = Repository.Open(remote.RepositoryPath(parsed));
            var arguments = remote.Read(parsed, repository);
            await using var connected = await NatsRemote.OpenAsync(arguments.Url, chooseHub: false, cancellationToken);
            var transport = connected.Transport;
            var progress = new ProgressBar(output.Error, verb == "sync" ? "syncing" : verb + "ing");
            var options = new SyncOptions
            {
                Pull = verb != "push",
                Push = verb != "pull",
                User = arguments.User,
                Password = arguments.Password,
                Unversioned = arguments.Unversioned,
                Private = arguments.Private,
                Tables = arguments.Tables,
                Progress = progress,
            };
            var result = await FossilClient.SyncAsync(repository, transport, options, cancellationToken);
            progress.Finish();
            foreach (string message in result.Messages) output.Out.WriteLine($"server says: {message}");
            output.Out.WriteLine($"{result.Rounds} rounds, {result.FilesSent} artifacts sent, {result.FilesReceived} received, {result.ArtifactsLinked} linked");
            if (arguments.Tables) output.Out.WriteLine($"{result.TableRowsSent} table rows sent, {result.TableRowsReceived} received");
            return ExitCodes.Success;
        });
        return command;
    }
}
