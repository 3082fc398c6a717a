using System.Diagnostics;
using FossilSync.Cli;

namespace FossilSync.Tests.Cli;

/// <summary>What one run of the built CLI printed and returned.</summary>
public sealed record CliRun(int Exit, string Stdout, string Stderr)
{
    /// <summary>Asserts the run ended with <paramref name="exit"/> and exactly one <c>fossilsync: error:</c> line on stderr, no stack frame.</summary>
    public void ShouldFailWithOneErrorLine(int exit, string because)
    {
        Exit.Should().Be(exit, $"{because}; stderr: {Stderr}");
        Stderr.Should().NotContain("   at ", "a user error is never a stack trace");
        Stderr.TrimEnd('\n').Split('\n').Should().ContainSingle("a user error is one line: {0}", Stderr)
            .Which.Should().StartWith("fossilsync: error: ");
    }
}

/// <summary>Runs the built <c>fossilsync</c> (<c>dotnet FossilSync.Cli.dll</c>) as a process, as a user would.</summary>
public static class CliProcess
{
    /// <summary>Runs <paramref name="args"/> in <paramref name="workingDirectory"/>; fails the test if it has not ended within a minute (a server that kept serving).</summary>
    public static async Task<CliRun> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var process = Process.Start(StartInfo(workingDirectory, environment, args))!;
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(deadline.Token);
            return new CliRun(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    public static Task<CliRun> RunAsync(string workingDirectory, params string[] args) => RunAsync(workingDirectory, null, args);

    public static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        psi.ArgumentList.Add(typeof(CommandLine).Assembly.Location);
        foreach (string a in args) psi.ArgumentList.Add(a);
        // No diagnostics socket in TMPDIR: a test that watches the temporary folder sees only what fossilsync leaves.
        psi.Environment["DOTNET_EnableDiagnostics"] = "0";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;
        return psi;
    }
}
