using System.Diagnostics;
using FossilSync.Repo;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Cli;

/// <summary><c>fossilsync serve DIR</c>: a folder served as stock <c>fossil server DIR</c> serves one.</summary>
public sealed class CliServeFolderTests
{
    [Fact]
    public async Task Serve_of_a_folder_lets_stock_clone_each_repository_by_name_and_repolist_lists_them()
    {
        using var dir = new TempDirectory();
        string served = Directory.CreateDirectory(dir.File("repos")).FullName;
        Directory.CreateDirectory(Path.Combine(served, "team"));
        StockRepositoryBuilder.Build(Path.Combine(served, "alpha.fossil"), commits: 2, seed: 21);
        StockRepositoryBuilder.Build(Path.Combine(served, "team", "beta.fossil"), commits: 4, seed: 22);
        int port = StockServer.FreePort();
        using var server = Process.Start(CliProcess.StartInfo(dir.Path, null, "serve", served, "--repolist", "--port", port.ToString(), "--host", "127.0.0.1"))!;
        try
        {
            string? banner = await server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            banner.Should().Be($"serving the repositories in {served} at http://127.0.0.1:{port}/NAME (Ctrl+C or SIGTERM stops)");

            foreach (string name in new[] { "alpha", "team/beta" })
            {
                string clone = dir.File(name.Replace('/', '-') + "-clone.fossil");
                var cloned = StockFossil.Run(dir.Path, "clone", $"http://127.0.0.1:{port}/{name}", clone);
                cloned.ExitCode.Should().Be(0, cloned.Stdout + cloned.Stderr);
                using var source = Repository.Open(Path.Combine(served, name + ".fossil"));
                using var copy = Repository.Open(clone);
                copy.ProjectCode.Should().Be(source.ProjectCode);
                StockFossil.Ok(dir.Path, "sql", "-R", clone, "SELECT count(*) FROM blob")
                    .Should().Be(StockFossil.Ok(dir.Path, "sql", "-R", source.Path, "SELECT count(*) FROM blob"));
            }
            using var http = new HttpClient();
            string list = await http.GetStringAsync($"http://127.0.0.1:{port}/");
            list.Should().Contain("<a href=\"/alpha\">alpha.fossil</a>").And.Contain("<a href=\"/team/beta\">team/beta.fossil</a>");
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Repolist_with_a_file_and_nats_with_a_folder_are_usage_errors()
    {
        using var dir = new TempDirectory();
        string repository = dir.File("one.fossil");
        Repository.Create(repository).Dispose();
        var repolist = await CliProcess.RunAsync(dir.Path, "serve", repository, "--repolist");
        repolist.ShouldFailWithOneErrorLine(2, "--repolist needs a folder");
        repolist.Stderr.Should().Contain("--repolist");
        var nats = await CliProcess.RunAsync(dir.Path, "serve", dir.Path, "--nats", "nats://127.0.0.1:4222");
        nats.ShouldFailWithOneErrorLine(2, "--nats serves one file");
        nats.Stderr.Should().Contain("--nats");
        var missing = await CliProcess.RunAsync(dir.Path, "serve", dir.File("nope"));
        missing.ShouldFailWithOneErrorLine(2, "neither a file nor a folder");
    }
}
