using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace FossilSync.Cli;

/// <summary>
/// The <c>fossilsync</c> command line: parses with System.CommandLine, runs one command, and
/// turns every way it can end into an exit code (see <see cref="ExitCodes"/>) and, for an error,
/// exactly one line on standard error. Kept apart from <c>Program</c> so tests can run a command
/// in-process with their own writers.
/// </summary>
public static class CommandLine
{
    /// <summary>Runs one command; returns the process exit code (0 ok, 1 failed, 2 usage error, 130 cancelled).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ParseResult parsed;
        try
        {
            parsed = Build(new CliOutput(stdout, stderr)).Parse(args);
        }
        catch (Exception ex)
        {
            // A parser that throws is a bug in this tool; the user still gets one line.
            await stderr.WriteLineAsync($"fossilsync: error: unexpected {ex.GetType().Name} reading the command line: {OneLine(ex.Message)}");
            return ExitCodes.Usage;
        }
        if (parsed.Action is ParseErrorAction)
        {
            // System.CommandLine would print every error and the whole help page; one line says what is wrong and where help is.
            var command = parsed.CommandResult.Command;
            string helpFor = command is RootCommand ? "fossilsync --help" : $"fossilsync {command.Name} --help";
            // A word nobody knows explains the rest ("frobnicate" also means no command was given): name it first.
            var error = parsed.Errors.FirstOrDefault(e => parsed.UnmatchedTokens.Any(token => e.Message.Contains($"'{token}'", StringComparison.Ordinal))) ?? parsed.Errors[0];
            await stderr.WriteLineAsync($"fossilsync: error: {OneLine(error.Message)} (see '{helpFor}')");
            return ExitCodes.Usage;
        }
        var invocation = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            // Failures are reported below in one line; Ctrl+C and SIGTERM are Program's, once for every command.
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await parsed.InvokeAsync(invocation, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync($"fossilsync: {parsed.CommandResult.Command.Name} cancelled");
            return ExitCodes.Cancelled;
        }
        catch (Exception ex) when (ex is FossilSyncException or CommandFailedException or IOException or UnauthorizedAccessException or HttpRequestException)
        {
            // Expected failures (not a repository, corrupt input, a server gone silent, a port in use…) get one line, not a stack trace.
            await stderr.WriteLineAsync($"fossilsync: error: {OneLine(ex.Message)}");
            return ExitCodes.Failed;
        }
        catch (Exception ex)
        {
            // Anything else is a bug, still reported in one line: its type says where to look.
            await stderr.WriteLineAsync($"fossilsync: error: unexpected {ex.GetType().Name}: {OneLine(ex.Message)}");
            return ExitCodes.Failed;
        }
    }

    private static RootCommand Build(CliOutput output)
    {
        var root = new RootCommand("fossilsync: clone, sync and serve Fossil SCM repositories, byte for byte as stock fossil 2.21 does.")
        {
            DemoCommand.Create(output),
            NewCommand.Create(output),
            VerifyCommand.Create(output),
            RebuildCommand.Create(output),
            UserCommand.Create(output),
            ServeCommand.Create(output),
            CloneCommand.Create(output),
            SyncCommand.Create("sync", output),
            SyncCommand.Create("pull", output),
            SyncCommand.Create("push", output),
            WatchCommand.Create(output),
            TableCommand.Create(output),
            CompletionCommand.Create(output),
        };
        HelpPages.Extend(root.Options.OfType<HelpOption>().Single());
        root.Add(HelpPages.HelpCommand(root));
        return root;
    }

    private static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
}
