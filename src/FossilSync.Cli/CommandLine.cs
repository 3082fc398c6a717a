namespace FossilSync.Cli;

/// <summary>
/// Dispatches <c>fossilsync</c> sub-commands. Kept separate from <c>Program</c> so tests can
/// run a command in-process with their own writers.
/// </summary>
public static class CommandLine
{
    private const string Usage = """
        usage: fossilsync COMMAND [ARGS]

        commands:
          new REPO        create an empty repository that stock fossil can open
          verify REPO     expand and re-hash every artifact; non-zero exit on any bad one
        """;

    /// <summary>Runs one command; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            await stdout.WriteLineAsync(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        await stderr.WriteLineAsync($"fossilsync: unknown command '{args[0]}'\n{Usage}");
        await Task.CompletedTask.WaitAsync(cancellationToken);
        return 2;
    }
}
