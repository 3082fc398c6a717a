using System.Diagnostics;
using FossilSync.Cli;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Cli;

/// <summary>
/// The clone's progress bar, on a real terminal: util-linux <c>script</c> gives the CLI a
/// pseudo-terminal and copies what is drawn on it to its own output.
/// </summary>
public sealed class CliProgressBarTests
{
    [Fact]
    public async Task The_bar_is_drawn_only_when_stdout_is_a_terminal()
    {
        using var dir = new TempDirectory();
        string served = dir.File("served.fossil");
        StockRepositoryBuilder.Build(served, commits: 5, seed: 11);
        using var server = new StockServer(served);

        string onTerminal = await OnTerminalAsync(dir.Path, $"clone {server.Url} a.fossil");
        onTerminal.Should().Contain("cloning [", "with both streams on the terminal the bar is drawn (this proves the pseudo-terminal works)");

        string redirected = await OnTerminalAsync(dir.Path, $"clone {server.Url} b.fossil > b.out");
        File.ReadAllText(dir.File("b.out")).Should().Contain("rounds,", "the clone ran and printed its summary");
        redirected.Should().NotContain("cloning [", "stdout goes to a file, so no bar is drawn on the terminal's stderr either");
        File.ReadAllText(dir.File("b.out")).Should().NotContain("cloning [");
    }

    /// <summary>Runs <c>fossilsync <paramref name="commandLine"/></c> (a shell line) on a pseudo-terminal; returns what the terminal showed.</summary>
    private static async Task<string> OnTerminalAsync(string workingDirectory, string commandLine)
    {
        var psi = new ProcessStartInfo("script")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (string a in new[] { "-q", "-e", "-c", $"dotnet '{typeof(CommandLine).Assembly.Location}' {commandLine}", "/dev/null" }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        try
        {
            var stderr = process.StandardError.ReadToEndAsync();
            string shown = await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync();
            process.ExitCode.Should().Be(0, $"the clone succeeds: {shown} {await stderr}");
            return shown;
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
