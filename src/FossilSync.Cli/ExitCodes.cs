namespace FossilSync.Cli;

/// <summary>The process exit codes of <c>fossilsync</c>; <see cref="HelpText"/> documents them in every help page.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran and failed: a network or server error, a bad repository, verify found bad artifacts.</summary>
    public const int Failed = 1;

    /// <summary>The command line was wrong: unknown command or option, a missing or invalid argument. Nothing was done.</summary>
    public const int Usage = 2;

    /// <summary>Ctrl+C or SIGTERM stopped the command (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;

    public const string HelpText = """
        Exit codes:
          0    success
          1    the operation failed (network or server error, bad repository, verify found bad artifacts)
          2    usage error (unknown command or option, missing or invalid argument); nothing was done
          130  cancelled by Ctrl+C or SIGTERM (serve: its normal stop, exit 0)
        """;
}
