using System.CommandLine;

namespace FossilSync.Cli;

/// <summary>
/// <c>fossilsync completion bash</c>: prints a bash completion script. The script asks fossilsync
/// itself (System.CommandLine's <c>[suggest:N]</c> directive) for the words that fit at the
/// cursor, so it never falls behind the commands and options; where there is none it completes
/// file names.
/// </summary>
internal static class CompletionCommand
{
    private const string Bash = """
        # bash completion for fossilsync. Load it with:  source <(fossilsync completion bash)
        # (zsh: autoload -U bashcompinit && bashcompinit first)
        _fossilsync_complete() {
          local IFS=$'\n' line="${COMP_LINE:0:COMP_POINT}"
          line="${line#*"${COMP_WORDS[0]}"}"; line="${line# }"
          COMPREPLY=( $(compgen -W "$("${COMP_WORDS[0]}" "[suggest:${#line}]" "$line" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}") )
        }
        complete -o default -F _fossilsync_complete fossilsync
        """;

    public static Command Create(CliOutput output)
    {
        var shell = new Argument<string>("SHELL") { Description = "the shell to print a completion script for (bash; zsh through bashcompinit)" };
        shell.AcceptOnlyFromAmong("bash");
        var command = new CliCommand("completion", "Print a tab-completion script for a shell.",
            "source <(fossilsync completion bash)",
            "fossilsync completion bash > ~/.local/share/bash-completion/completions/fossilsync")
        {
            shell,
        };
        command.SetAction(_ =>
        {
            output.Out.WriteLine(Bash);
            return ExitCodes.Success;
        });
        return command;
    }
}
