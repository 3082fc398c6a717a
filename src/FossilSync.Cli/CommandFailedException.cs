namespace FossilSync.Cli;

/// <summary>A command could not do its job for a reason the user can act on; reported as one error line with exit code 1.</summary>
internal sealed class CommandFailedException(string message, Exception? inner = null) : Exception(message, inner);
