using System.CommandLine;
using FossilSync.Sync;

namespace FossilSync.Cli;

/// <summary>
/// <c>fossilsync clone URL REPO [--user U] [--password P] [--uv] [--tables] [--resume | --no-resume] [--save-http-password] [--nocompress]</c>:
/// clones a remote repository. The clone is built in <c>REPO.fossilsync-partial</c> and becomes
/// REPO only when whole; an interrupted clone is continued by running the same command again
/// (<c>--resume</c> insists on it, <c>--no-resume</c> starts over). Ctrl+C and SIGTERM cancel it.
/// </summary>
internal static class CloneCommand
{
    public static Command Create(CliOutput output)
    {
        var command = new CliCommand("clone",
            "Clone a remote repository. The clone is built in REPO.fossilsync-partial and renamed to REPO when whole; " +
            "run the same command again to continue an interrupted clone.",
            "fossilsync clone http://127.0.0.1:8080/ copy.fossil",
            "fossilsync clone https://alice:secret@fossil.example.org/repo copy.fossil --uv",
            "fossilsync clone http://127.0.0.1:8080/ copy.fossil --user alice --password secret --no-resume",
            "fossilsync clone https://alice:secret@fossil.example.org/repo copy.fossil --save-http-password");
        var remote = new RemoteArguments.Symbols(command, CliArguments.NewRepository("the repository file to create (its folder must exist)", mustNotExist: false), withPrivate: false);
        var resume = new Option<bool>("--resume") { Description = "only continue an interrupted clone; fail if there is none to continue" };
        var noResume = new Option<bool>("--no-resume") { Description = "start over, discarding an interrupted clone" };
        var rememberPassword = new Option<bool>("--save-http-password", "--remember-password")
        {
            Description = "remember the password with the remote (obscured, as stock's clone does), so sync with no URL and stock's autosync log in",
        };
        var noCompress = new Option<bool>("--nocompress")
        {
            Description = "skip the extra delta compression at the end (as stock's option): a faster clone, a larger file",
        };
        command.Add(resume);
        command.Add(noCompress);
        command.Add(noResume);
        command.Add(rememberPassword);
        command.Validators.Add(result =>
        {
            if (result.GetValue(resume) && result.GetValue(noResume)) result.AddError("--resume and --no-resume cannot be used together");
        });
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var arguments = remote.Read(parsed);
            await using var connected = await NatsRemote.OpenAsync(arguments.Url, chooseHub: true, cancellationToken);
            var transport = connected.Transport;
            var progress = new ProgressBar(output.Error, "cloning");
            var options = new CloneOptions
            {
                User = arguments.User,
                Password = arguments.Password,
                Unversioned = arguments.Unversioned,
                RememberPassword = parsed.GetValue(rememberPassword),
                Tables = arguments.Tables,
                ExtraDeltaCompression = !parsed.GetValue(noCompress),
                Progress = progress,
                Resume = parsed.GetValue(resume) ? CloneResume.Required : parsed.GetValue(noResume) ? CloneResume.Never : CloneResume.Automatic,
            };
            var (repository, result) = await FossilClient.CloneAsync(transport, arguments.Repository, options, cancellationToken);
            progress.Finish();
            using (repository)
            {
                foreach (string message in result.Messages) output.Out.WriteLine($"server says: {message}");
                output.Out.WriteLine($"project-id: {result.ProjectCode}");
                output.Out.WriteLine($"server-id:  {result.ServerCode}");
                output.Out.WriteLine($"{result.Rounds} rounds, {result.ArtifactsReceived} artifacts received, {result.ArtifactsLinked} linked");
                if (arguments.Tables) output.Out.WriteLine($"{result.TableRowsReceived} table rows received");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
