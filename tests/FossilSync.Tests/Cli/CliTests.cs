using FossilSync.Cli;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Cli;

public sealed class CliTests
{
    [Fact]
    public async Task New_then_verify_succeeds_and_stock_fossil_accepts_the_file()
    {
        using var dir = new TempDirectory();
        var (exit, stdout, _) = await Run("new", dir.File("demo.fossil"));
        exit.Should().Be(0);
        stdout.Should().MatchRegex("project-id: [0-9a-f]{40}");
        (await Run("verify", dir.File("demo.fossil"))).Stdout.Should().Contain("1 artifacts verified");
        StockFossil.Run(dir.Path, "test-integrity", "-R", dir.File("demo.fossil")).IntegrityOk.Should().BeTrue();
    }

    [Fact]
    public async Task Errors_are_one_line_messages_with_a_non_zero_exit()
    {
        using var dir = new TempDirectory();
        var missing = await Run("verify", dir.File("nope.fossil"));
        missing.Exit.Should().Be(2);
        missing.Stderr.Should().Contain("does not exist").And.NotContain("   at ");
        var unknown = await Run("frobnicate");
        unknown.Exit.Should().Be(2);
        unknown.Stderr.Should().StartWith("fossilsync: error: ").And.Contain("'frobnicate'").And.EndWith("(see 'fossilsync --help')\n");
        var noName = await Run("new");
        noName.Exit.Should().Be(2);
        noName.Stderr.Should().StartWith("fossilsync: error: ").And.Contain("'REPO'").And.Contain("fossilsync new --help");
    }

    [Theory]
    [InlineData("new")]
    [InlineData("verify")]
    [InlineData("rebuild")]
    [InlineData("serve")]
    [InlineData("clone")]
    [InlineData("sync")]
    [InlineData("pull")]
    [InlineData("push")]
    [InlineData("demo")]
    [InlineData("completion")]
    public async Task Each_command_has_help_with_examples_and_the_exit_codes(string command)
    {
        var help = await Run(command, "--help");
        help.Exit.Should().Be(0, help.Stderr);
        help.Stdout.Should().Contain($"fossilsync {command}").And.Contain("Examples:").And.Contain($"  fossilsync {command}")
            .And.Contain("Exit codes:").And.Contain("2    usage error").And.Contain("130  cancelled");
        (await Run("help", command)).Stdout.Should().Be(help.Stdout, "'fossilsync help COMMAND' is the same page");
    }

    [Fact]
    public async Task Tab_completion_suggests_commands_and_options_and_the_bash_script_asks_for_them()
    {
        (await Run("[suggest:2]", "cl")).Stdout.Should().Contain("clone\n").And.NotContain("[suggest");
        (await Run("[suggest:9]", "clone --r")).Stdout.Should().Contain("--resume");
        (await Run("[suggest:16]", "serve x.fossil -")).Stdout.Should().Contain("--port").And.Contain("--host");
        var script = await Run("completion", "bash");
        script.Exit.Should().Be(0);
        script.Stdout.Should().Contain("[suggest:").And.Contain("complete -o default -F _fossilsync_complete fossilsync");
    }

    [Fact]
    public async Task Clone_then_pull_through_the_command_line_against_stock_fossil_server()
    {
        using var dir = new TempDirectory();
        string served = dir.File("served.fossil");
        StockRepositoryBuilder.Build(served, commits: 10, seed: 5);
        using var server = new StockServer(served);
        string clone = dir.File("clone.fossil");
        var cloned = await Run("clone", server.Url.ToString(), clone);
        cloned.Exit.Should().Be(0, cloned.Stderr);
        cloned.Stdout.Should().MatchRegex(@"\d+ rounds, \d+ artifacts received");
        var pulled = await Run("pull", server.Url.ToString(), clone);
        pulled.Exit.Should().Be(0, pulled.Stderr);
        pulled.Stdout.Should().Contain("0 received", "the clone is already up to date");
        StockFossil.Run(dir.Path, "test-integrity", "-R", clone).IntegrityOk.Should().BeTrue();
    }

    [Fact]
    public async Task A_server_that_hangs_up_mid_reply_gives_one_error_line_and_no_clone()
    {
        using var dir = new TempDirectory();
        byte[] reply = new FossilSync.Xfer.XferMessage([new FossilSync.Xfer.MessageCard(new string('x', 3000))]).EncodeCompressed();
        using var peer = new ScriptedHttpResponder(async (stream, stop) =>
        {
            await stream.WriteAsync(System.Text.Encoding.Latin1.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/x-fossil\r\nContent-Length: {reply.Length + 100}\r\n\r\n"), stop);
            await stream.WriteAsync(reply.AsMemory(0, reply.Length / 2), stop);
        });
        string target = dir.File("clone.fossil");
        var (exit, _, stderr) = await Run("clone", peer.Url.ToString(), target);
        exit.Should().Be(1, "the operation failed");
        stderr.Should().StartWith("fossilsync: error: ").And.Contain("broke").And.NotContain("   at ");
        stderr.TrimEnd().Split('\n').Should().ContainSingle();
        Directory.GetFiles(dir.Path).Should().BeEmpty("nothing of a failed first round is kept");
    }

    [Fact]
    public async Task Demo_serves_a_new_repository_and_clones_it_over_http()
    {
        var demo = await Run("demo");
        demo.Exit.Should().Be(0, demo.Stderr);
        demo.Stdout.Should().Contain("serving   http://127.0.0.1:").And.MatchRegex(@"verified  \d+ artifacts, 0 problems; 1 unversioned files");
    }

    [Fact]
    public async Task Serve_stops_cleanly_on_SIGTERM()
    {
        using var dir = new TempDirectory();
        await Run("new", dir.File("served.fossil"));
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { typeof(CommandLine).Assembly.Location, "serve", dir.File("served.fossil"), "--port", StockServer.FreePort().ToString(), "--host", "127.0.0.1" })
        {
            psi.ArgumentList.Add(a);
        }
        using var server = System.Diagnostics.Process.Start(psi)!;
        try
        {
            string? banner = await server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            banner.Should().StartWith("serving ");
            using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", server.Id.ToString()])) await kill.WaitForExitAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await server.WaitForExitAsync(deadline.Token);
            server.ExitCode.Should().Be(0);
        }
        finally
        {
            if (!server.HasExited) server.Kill();
        }
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = await CommandLine.RunAsync(args, stdout, stderr, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
