using System.Net;
using System.Net.Sockets;
using FossilSync.Cli;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Cli;

/// <summary>
/// What a new user typed wrong, run through the built CLI as a process: each mistake is one
/// <c>fossilsync: error:</c> line with its documented exit code (2 usage, 1 failed), and help
/// asked of a command does nothing else.
/// </summary>
public sealed class CliUserErrorTests
{
    [Fact]
    public async Task New_help_prints_help_and_creates_nothing()
    {
        using var dir = new TempDirectory();
        var run = await CliProcess.RunAsync(dir.Path, "new", "--help");
        run.Exit.Should().Be(0, run.Stderr);
        run.Stdout.Should().Contain("fossilsync new <REPO>").And.Contain("Examples:").And.Contain("Exit codes:");
        Directory.EnumerateFileSystemEntries(dir.Path).Should().BeEmpty("--help is not a repository name");
    }

    [Fact]
    public async Task Serve_help_prints_help_and_serves_nothing()
    {
        using var dir = new TempDirectory();
        // A server would keep running: CliProcess fails the test if the process has not ended within a minute.
        var run = await CliProcess.RunAsync(dir.Path, "serve", "--help");
        run.Exit.Should().Be(0, run.Stderr);
        run.Stdout.Should().Contain("fossilsync serve <REPO>").And.Contain("--port").And.NotContain("serving ");
        Directory.EnumerateFileSystemEntries(dir.Path).Should().BeEmpty();
    }

    [Fact]
    public async Task Demo_help_prints_help_and_neither_serves_nor_clones()
    {
        using var dir = new TempDirectory();
        using var temp = new TempDirectory();
        var run = await CliProcess.RunAsync(dir.Path, new Dictionary<string, string> { ["TMPDIR"] = temp.Path }, "demo", "--help");
        run.Exit.Should().Be(0, run.Stderr);
        run.Stdout.Should().Contain("fossilsync demo").And.NotContain("serving").And.NotContain("cloned");
        Directory.EnumerateFileSystemEntries(dir.Path).Should().BeEmpty();
        Directory.EnumerateFileSystemEntries(temp.Path).Should().BeEmpty("demo --help makes no temporary folder");
    }

    [Theory]
    [InlineData("notanumber")]
    [InlineData("0")]
    [InlineData("65536")]
    public async Task Serve_with_a_port_that_is_not_1_to_65535_is_a_usage_error(string port)
    {
        using var dir = new TempDirectory();
        string repository = await NewRepositoryAsync(dir);
        var run = await CliProcess.RunAsync(dir.Path, "serve", repository, "--port", port);
        run.ShouldFailWithOneErrorLine(2, "a bad port is a usage error");
        run.Stderr.Should().Contain("--port").And.Contain($"'{port}'").And.NotContain("does not exist");
    }

    [Fact]
    public async Task Clone_of_something_that_is_not_a_url_is_a_usage_error()
    {
        using var dir = new TempDirectory();
        var run = await CliProcess.RunAsync(dir.Path, "clone", "notaurl", "x.fossil");
        run.ShouldFailWithOneErrorLine(2, "notaurl is no URL");
        run.Stderr.Should().Contain("'notaurl' is not a URL");
        Directory.EnumerateFileSystemEntries(dir.Path).Should().BeEmpty();
    }

    [Fact]
    public async Task Clone_of_an_ftp_url_says_only_http_and_https_are_supported()
    {
        using var dir = new TempDirectory();
        var run = await CliProcess.RunAsync(dir.Path, "clone", "ftp://example.org/repo", "x.fossil");
        run.ShouldFailWithOneErrorLine(2, "ftp is not a scheme fossil speaks");
        run.Stderr.Should().Contain("'ftp'").And.Contain("only http://, https:// and nats://");
        Directory.EnumerateFileSystemEntries(dir.Path).Should().BeEmpty();
    }

    [Fact]
    public async Task Clone_into_a_missing_directory_is_a_usage_error_that_names_it()
    {
        using var dir = new TempDirectory();
        // Nothing listens there: the folder must be refused before any connection is tried.
        var run = await CliProcess.RunAsync(dir.Path, "clone", $"http://127.0.0.1:{StockServer.FreePort()}/", Path.Combine("missing", "x.fossil"));
        run.ShouldFailWithOneErrorLine(2, "the target's folder does not exist");
        run.Stderr.Should().Contain(dir.File("missing")).And.Contain("does not exist").And.NotContain("SQLite");
        Directory.EnumerateFileSystemEntries(dir.Path).Should().BeEmpty();
    }

    [Fact]
    public async Task Serve_on_a_port_in_use_fails_with_one_line()
    {
        using var dir = new TempDirectory();
        string repository = await NewRepositoryAsync(dir);
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            int port = ((IPEndPoint)taken.LocalEndpoint).Port;
            var run = await CliProcess.RunAsync(dir.Path, "serve", repository, "--port", port.ToString(), "--host", "127.0.0.1");
            run.ShouldFailWithOneErrorLine(1, "the port is taken");
            run.Stderr.Should().Contain($"127.0.0.1:{port}").And.ContainEquivalentOf("address already in use");
        }
        finally
        {
            taken.Stop();
        }
    }

    [Fact]
    public async Task Demo_removes_its_temporary_folder_when_it_succeeds()
    {
        using var dir = new TempDirectory();
        using var temp = new TempDirectory();
        var run = await CliProcess.RunAsync(dir.Path, new Dictionary<string, string> { ["TMPDIR"] = temp.Path }, "demo");
        run.Exit.Should().Be(0, run.Stderr);
        run.Stdout.Should().Contain($"created   {temp.Path}", "the demo works in the temporary folder it was given");
        Directory.EnumerateFileSystemEntries(temp.Path).Should().BeEmpty("the demo's folder is removed when it ends");
    }

    [Fact]
    public async Task Demo_removes_its_temporary_folder_when_it_fails()
    {
        using var dir = new TempDirectory();
        using var temp = new TempDirectory();
        File.WriteAllText(dir.File("not-a-repository.fossil"), "plain text\n");
        var run = await CliProcess.RunAsync(dir.Path, new Dictionary<string, string> { ["TMPDIR"] = temp.Path }, "demo", "not-a-repository.fossil");
        run.ShouldFailWithOneErrorLine(1, "the file is no repository");
        run.Stderr.Should().Contain("not a Fossil repository");
        Directory.EnumerateFileSystemEntries(temp.Path).Should().BeEmpty("the demo's folder is removed on failure too");
    }

    [Fact]
    public async Task Version_prints_the_version_of_the_tool()
    {
        using var dir = new TempDirectory();
        var run = await CliProcess.RunAsync(dir.Path, "--version");
        run.Exit.Should().Be(0, run.Stderr);
        string expected = typeof(CommandLine).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion;
        run.Stdout.Trim().Should().Be(expected);
    }

    private static async Task<string> NewRepositoryAsync(TempDirectory dir)
    {
        string path = dir.File("served.fossil");
        int exit = await CommandLine.RunAsync(["new", path], new StringWriter(), new StringWriter(), CancellationToken.None);
        exit.Should().Be(0);
        return path;
    }
}
