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
}
