using FossilSync.AspNetCore;
using FossilSync.Cli;
using FossilSync.Repo;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Cli;

/// <summary>The <c>table</c> commands, run in-process: define, put, delete, list, and their errors.</summary>
public sealed class CliTableTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _repo;

    public CliTableTests()
    {
        _repo = _dir.File("t.fossil");
        Repository.Create(_repo).Dispose();
    }

    public void Dispose() => _dir.Dispose();

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = await CommandLine.RunAsync(args, stdout, stderr, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Define_put_delete_and_list_print_rows_in_key_order_with_exact_values()
    {
        (await Run("table", "define", _repo, "tasks", "--column", "id:integer", "--column", "title:text", "--column", "w:real", "--key", "id")).Exit.Should().Be(0);
        (await Run("table", "put", _repo, "tasks", "{\"id\": 9007199254740993, \"title\": \"big\", \"w\": 0.1}")).Exit.Should().Be(0);
        (await Run("table", "put", _repo, "tasks", "{\"id\": 2, \"title\": \"two\"}")).Exit.Should().Be(0);
        (await Run("table", "put", _repo, "tasks", "{\"id\": 3, \"title\": \"three\"}")).Exit.Should().Be(0);
        (await Run("table", "delete", _repo, "tasks", "{\"id\": 3}")).Exit.Should().Be(0);

        var list = await Run("table", "list", _repo, "tasks");
        list.Exit.Should().Be(0, list.Err);
        list.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(
            "{\"id\":2,\"title\":\"two\"}",
            "{\"id\":9007199254740993,\"title\":\"big\",\"w\":0.1}");
    }

    [Fact]
    public async Task Bad_types_hostile_names_and_unknown_tables_are_one_error_line()
    {
        var hostile = await Run("table", "define", _repo, "x\"y", "--column", "id:integer", "--key", "id");
        hostile.Exit.Should().Be(1);
        hostile.Err.Should().StartWith("fossilsync: error: ").And.Contain("not allowed");

        var badType = await Run("table", "define", _repo, "t", "--column", "id:float", "--key", "id");
        badType.Exit.Should().Be(1);
        badType.Err.Should().Contain("unknown column type 'float'");

        var missing = await Run("table", "list", _repo, "nothing");
        missing.Exit.Should().Be(1);
        missing.Err.Should().Contain("no synced table 'nothing'");

        (await Run("table", "define", _repo, "t", "--column", "id:integer", "--key", "id")).Exit.Should().Be(0);
        var wrongValue = await Run("table", "put", _repo, "t", "{\"id\": \"one\"}");
        wrongValue.Exit.Should().Be(1);
        wrongValue.Err.Should().Contain("is integer");
    }

    [Fact]
    public async Task Clone_push_and_pull_with_tables_carry_rows_between_repositories()
    {
        using (var served = Repository.Open(_repo)) served.Users.Create("alice", "secret", "s");
        (await Run("table", "define", _repo, "tasks", "--column", "id:integer", "--column", "title:text", "--key", "id")).Exit.Should().Be(0);
        (await Run("table", "put", _repo, "tasks", "{\"id\": 1, \"title\": \"from the server\"}")).Exit.Should().Be(0);
        await using var server = await FossilSyncServer.StartAsync(_repo, "http://127.0.0.1:0");
        string url = server.Url.ToString().Replace("http://", "http://alice:secret@");
        string clone = _dir.File("clone.fossil");

        var cloned = await Run("clone", url, clone, "--tables");
        cloned.Exit.Should().Be(0, cloned.Err);
        cloned.Out.Should().Contain("1 table rows received");
        (await Run("table", "list", clone, "tasks")).Out.Should().Be("{\"id\":1,\"title\":\"from the server\"}\n");

        (await Run("table", "put", clone, "tasks", "{\"id\": 2, \"title\": \"from the clone\"}")).Exit.Should().Be(0);
        var pushed = await Run("push", url, clone, "--tables");
        pushed.Exit.Should().Be(0, pushed.Err);
        pushed.Out.Should().Contain("1 table rows sent");

        (await Run("table", "delete", _repo, "tasks", "{\"id\": 1}")).Exit.Should().Be(0);
        var pulled = await Run("pull", url, clone, "--tables");
        pulled.Exit.Should().Be(0, pulled.Err);
        var synced = await Run("sync", url, clone, "--tables");
        synced.Exit.Should().Be(0, synced.Err);
        (await Run("table", "list", clone, "tasks")).Out.Should().Be((await Run("table", "list", _repo, "tasks")).Out).And.Be("{\"id\":2,\"title\":\"from the clone\"}\n");
    }
}
