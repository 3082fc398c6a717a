using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Cli;

/// <summary><c>fossilsync sync|push|pull REPO</c> with no URL goes where the clone came from, with the login it remembered (against stock fossil server).</summary>
public sealed class CliRecordedRemoteTests
{
    [Fact]
    public async Task Pull_and_push_with_no_url_use_the_recorded_remote_and_the_remembered_password()
    {
        using var dir = new TempDirectory();
        string served = dir.File("served.fossil");
        StockRepositoryBuilder.Build(served, commits: 2, seed: 1718);
        StockFossil.Ok(dir.Path, "user", "new", "alice", "", "secret", "-R", served);
        StockFossil.Ok(dir.Path, "user", "capabilities", "alice", "oi", "-R", served);
        using var server = new StockServer(served);
        string clone = dir.File("copy.fossil");
        string url = server.Url.ToString().Replace("http://", "http://alice:secret@");

        var cloned = await CliProcess.RunAsync(dir.Path, "clone", url, clone, "--save-http-password");
        cloned.Exit.Should().Be(0, cloned.Stderr);

        StockFossil.CommitInCheckout(served, dir.File("server-work"), "later.txt", "later\n", "made on the server later", "alice");
        var pulled = await CliProcess.RunAsync(dir.Path, "pull", clone);
        pulled.Exit.Should().Be(0, pulled.Stderr);
        StockFossil.Ok(dir.Path, "timeline", "-n", "0", "-t", "ci", "-R", clone).Should().Contain("made on the server later");

        StockFossil.CommitInCheckout(clone, dir.File("work"), "mine.txt", "mine\n", "pushed with no url", "alice");
        var pushed = await CliProcess.RunAsync(dir.Path, "push", clone);
        pushed.Exit.Should().Be(0, pushed.Stderr);
        pushed.Stdout.Should().NotContain("not authorized");
        StockFossil.Ok(dir.Path, "timeline", "-n", "0", "-t", "ci", "-R", served).Should().Contain("pushed with no url");
    }

    [Fact]
    public async Task Sync_with_no_url_and_no_recorded_remote_is_one_error_line()
    {
        using var dir = new TempDirectory();
        var made = await CliProcess.RunAsync(dir.Path, "new", "local.fossil");
        made.Exit.Should().Be(0, made.Stderr);
        byte[] before = File.ReadAllBytes(dir.File("local.fossil"));

        var run = await CliProcess.RunAsync(dir.Path, "sync", "local.fossil");

        run.ShouldFailWithOneErrorLine(1, "there is nowhere to sync with");
        run.Stderr.Should().Contain("records no remote");
        File.ReadAllBytes(dir.File("local.fossil")).Should().Equal(before);
    }

    [Fact]
    public async Task Sync_with_a_missing_repository_and_no_url_is_a_usage_error()
    {
        using var dir = new TempDirectory();
        var run = await CliProcess.RunAsync(dir.Path, "pull", "missing.fossil");
        run.ShouldFailWithOneErrorLine(2, "the repository does not exist");
        run.Stderr.Should().Contain("does not exist");
    }
}
