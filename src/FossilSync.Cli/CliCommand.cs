using System.CommandLine;

namespace FossilSync.Cli;

/// <summary>A sub-command whose help page ends with examples of its use.</summary>
internal sealed class CliCommand(string name, string description, params string[] examples) : Command(name, description)
{
    public IReadOnlyList<string> Examples { get; } = examples;
}
