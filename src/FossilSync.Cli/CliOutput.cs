namespace FossilSync.Cli;

/// <summary>Where a command writes: the process's console, or a test's writers.</summary>
internal sealed record CliOutput(TextWriter Out, TextWriter Error);
