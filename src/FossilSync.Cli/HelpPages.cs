using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace FossilSync.Cli;

/// <summary>
/// Help pages: System.CommandLine's usage, arguments and options, then the command's examples
/// and the exit codes, which a script calling fossilsync needs as much as the options.
/// </summary>
internal static class HelpPages
{
    private static readonly string[] RootExamples =
    [
        "fossilsync demo",
        "fossilsync clone http://127.0.0.1:8080/ copy.fossil",
        "fossilsync pull http://127.0.0.1:8080/ copy.fossil",
        "fossilsync serve copy.fossil --port 8081",
        "fossilsync clone --help",
    ];

    /// <summary>Replaces the default action of <paramref name="help"/> with one that adds examples and exit codes to its page.</summary>
    public static void Extend(HelpOption help) => help.Action = new ExtendedHelpAction((HelpAction)help.Action!);

    /// <summary><c>fossilsync help [COMMAND]</c>, as the hand-written parser took it: the same page as <c>--help</c>.</summary>
    public static Command HelpCommand(RootCommand root)
    {
        var name = new Argument<string?>("COMMAND") { Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("help", "Show help for fossilsync or one of its commands.") { name, };
        command.Hidden = true;
        command.SetAction((parsed, cancellationToken) =>
        {
            string? of = parsed.GetValue(name);
            return root.Parse(of is null ? ["--help"] : [of, "--help"]).InvokeAsync(parsed.InvocationConfiguration, cancellationToken);
        });
        return command;
    }

    private sealed class ExtendedHelpAction(HelpAction standard) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            standard.Invoke(parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            IReadOnlyList<string> examples = parseResult.CommandResult.Command switch
            {
                CliCommand command => command.Examples,
                RootCommand => RootExamples,
                _ => [],
            };
            if (examples.Count > 0)
            {
                output.WriteLine("Examples:");
                foreach (string example in examples) output.WriteLine($"  {example}");
                output.WriteLine();
            }
            output.WriteLine(ExitCodes.HelpText);
            return ExitCodes.Success;
        }
    }
}
