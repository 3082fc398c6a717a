using System.Diagnostics;
using FossilSync.Cli;
using FossilSync.Sync;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Cli;

/// <summary>A command-line clone killed midway leaves nothing at its target, and running it again finishes it.</summary>
public sealed class CliCloneInterruptionTests
{
    [Fact]
    public async Task A_clone_killed_midway_leaves_no_target_and_the_same_command_then_finishes_it()
    {
        using var dir = new TempDirectory();
        string served = dir.File("served.fossil");
        StockRepositoryBuilder.Build(served, commits: 80, seed: 31);
        // A tiny budget per round: the clone takes many rounds, time enough to kill it midway.
        StockFossil.Ok(dir.Path, "sql", "-R", served, "REPLACE INTO config(name, value, mtime) VALUES('max-download', '2000', 0)");
        using var server = new StockServer(served);
        string target = dir.File("clone.fossil"), partial = target + FossilClient.PartialCloneSuffix;

        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { typeof(CommandLine).Assembly.Location, "clone", server.Url.ToString(), target }) psi.ArgumentList.Add(a);
        using (var clone = Process.Start(psi)!)
        {
            try
            {
                // Wait until rounds are being stored, then kill without warning.
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (Size(partial) + Size(target) < 64 * 1024 && !clone.HasExited && DateTime.UtcNow < deadline) await Task.Delay(20);
                clone.HasExited.Should().BeFalse("the clone must still be running when it is killed");
                clone.Kill();
                await clone.WaitForExitAsync();
            }
            finally
            {
                if (!clone.HasExited) clone.Kill();
            }
        }
        File.Exists(target).Should().BeFalse("a killed clone leaves nothing at its target");
        File.Exists(partial).Should().BeTrue();
        // The rest may come in large rounds.
        StockFossil.Ok(dir.Path, "sql", "-R", served, "DELETE FROM config WHERE name='max-download'");

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = await CommandLine.RunAsync(["clone", server.Url.ToString(), target], stdout, stderr, CancellationToken.None);
        exit.Should().Be(0, stderr.ToString());
        File.Exists(partial).Should().BeFalse();
        StockFossil.Run(dir.Path, "test-integrity", "-R", target).IntegrityOk.Should().BeTrue();
        StockFossil.Ok(dir.Path, "sql", "-R", target, "SELECT uuid FROM blob WHERE size>=0 ORDER BY uuid")
            .Should().Be(StockFossil.Ok(dir.Path, "sql", "-R", served, "SELECT uuid FROM blob WHERE size>=0 ORDER BY uuid"));
    }

    [Fact]
    public async Task A_clone_stopped_by_SIGTERM_exits_cleanly_and_leaves_no_target()
    {
        using var dir = new TempDirectory();
        string served = dir.File("served.fossil");
        StockRepositoryBuilder.Build(served, commits: 80, seed: 37);
        StockFossil.Ok(dir.Path, "sql", "-R", served, "REPLACE INTO config(name, value, mtime) VALUES('max-download', '2000', 0)");
        using var server = new StockServer(served);
        string target = dir.File("clone.fossil"), partial = target + FossilClient.PartialCloneSuffix;

        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { typeof(CommandLine).Assembly.Location, "clone", server.Url.ToString(), target }) psi.ArgumentList.Add(a);
        using var clone = Process.Start(psi)!;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (Size(partial) + Size(target) < 64 * 1024 && !clone.HasExited && DateTime.UtcNow < deadline) await Task.Delay(20);
            clone.HasExited.Should().BeFalse("the clone must still be running when it is stopped");
            using (var kill = Process.Start("kill", ["-TERM", clone.Id.ToString()])) await kill.WaitForExitAsync();
            string stderr = await clone.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await clone.WaitForExitAsync();
            clone.ExitCode.Should().Be(130, stderr);
            stderr.Should().Contain("cancelled").And.NotContain("   at ");
        }
        finally
        {
            if (!clone.HasExited) clone.Kill();
        }
        File.Exists(target).Should().BeFalse();
    }

    private static long Size(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
