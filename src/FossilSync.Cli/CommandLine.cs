namespace FossilSync.Cli;

/// <summary>
/// Dispatches <c>fossilsync</c> sub-commands. Kept apart from <c>Program</c> so tests can run
/// a command in-process with their own writers.
/// </summary>
public static class CommandLine
{
    /// <summary>Runs one command; returns the process exit code (0 ok, 1 failure found, 2 usage or error, 130 cancelled).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            await stdout.WriteLineAsync(Usage.Text);
            return args.Length == 0 ? 2 : 0;
        }
        string[] rest = args[1..];
        try
        {
            return args[0] switch
            {
                "new" => await NewCommand.RunAsync(rest, stdout, stderr),
                "verify" => await VerifyCommand.RunAsync(rest, stdout, stderr, cancellationToken),
                "rebuild" => await RebuildCommand.RunAsync(rest, stdout, stderr, cancellationToken),
                "clone" => await CloneCommand.RunAsync(rest, stdout, stderr, cancellationToken),
                "serve" => await ServeCommand.RunAsync(rest, stdout, stderr, cancellationToken),
                "demo" => await DemoCommand.RunAsync(rest, stdout, stderr, cancellationToken),
                "sync" or "push" or "pull" => await SyncCommand.RunAsync(args[0], rest, stdout, stderr, cancellationToken),
                _ => await UnknownAsync(args[0], stderr),
            };
        }
        catch (FossilSyncException ex)
        {
            // Expected failures (not a repository, corrupt input, a server gone silent…) get one line, not a stack trace.
            await stderr.WriteLineAsync($"fossilsync: error: {OneLine(ex.Message)}");
            return 2;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync($"fossilsync: {args[0]} cancelled");
            return 130;
        }
    }

    private static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));

    private static async Task<int> UnknownAsync(string command, TextWriter stderr)
    {
        await stderr.WriteLineAsync($"fossilsync: unknown command '{command}'\n{Usage.Text}");
        return 2;
    }
}
