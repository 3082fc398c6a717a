using FossilSync.Repo;
using FossilSync.Repo.Tables;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo.Tables;

public sealed class SyncedTableTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Repository _repository;

    public SyncedTableTests() => _repository = Repository.Create(_dir.File("tables.fossil"));

    public void Dispose()
    {
        _repository.Dispose();
        _dir.Dispose();
    }

    private static TableDefinition Tasks(params TableColumn[] extra) => new("tasks",
        [new TableColumn("id", ColumnType.Integer), new TableColumn("title", ColumnType.Text), new TableColumn("weight", ColumnType.Real), new TableColumn("data", ColumnType.Blob), .. extra],
        ["id"]);

    [Fact]
    public void Rows_are_put_read_listed_in_key_order_and_deleted()
    {
        var table = _repository.Tables.Define(Tasks());
        table.Put(new TableRow { ["id"] = 2L, ["title"] = "second" });
        table.Put(new TableRow { ["id"] = 1L, ["title"] = "first", ["weight"] = 0.1, ["data"] = new byte[] { 1, 2 } });
        table.Put(new TableRow { ["id"] = 2L, ["title"] = "second, edited" });

        table.Rows().Select(r => (long)r["id"]!).Should().Equal(1L, 2L);
        table.Get(new TableRow { ["id"] = 2L })!["title"].Should().Be("second, edited");
        table.Get(new TableRow { ["id"] = 1L })!["data"].Should().BeEquivalentTo(new byte[] { 1, 2 });

        table.Delete(new TableRow { ["id"] = 1L }).Should().BeTrue();
        table.Get(new TableRow { ["id"] = 1L }).Should().BeNull();
        table.Count.Should().Be(1);
        table.Delete(new TableRow { ["id"] = 1L }).Should().BeFalse();
    }

    [Fact]
    public void Integers_above_2_pow_53_and_real_bits_survive_storage_and_json()
    {
        var table = _repository.Tables.Define(Tasks());
        const long big = (1L << 53) + 1;
        double third = 1.0 / 3.0;
        table.Put(new TableRow { ["id"] = big, ["weight"] = third });
        var back = table.Get(new TableRow { ["id"] = big })!;
        back["id"].Should().Be(big);
        BitConverter.DoubleToInt64Bits((double)back["weight"]!).Should().Be(BitConverter.DoubleToInt64Bits(third));

        string json = SyncedTable.ToJson(table.Definition, new TableRow { ["id"] = big, ["weight"] = third, ["data"] = new byte[] { 255 } });
        json.Should().Be("{\"id\":9007199254740993,\"weight\":0.3333333333333333,\"data\":\"/w==\"}");
        var parsed = SyncedTable.FromJson(table.Definition, json);
        parsed["id"].Should().Be(big);
        BitConverter.DoubleToInt64Bits((double)parsed["weight"]!).Should().Be(BitConverter.DoubleToInt64Bits(third));
    }

    [Theory]
    [InlineData("x\"; DROP TABLE blob; --")]
    [InlineData("has space")]
    [InlineData("sqlite_master")]
    [InlineData("sqlite_stat1")]
    [InlineData("blob")]
    [InlineData("config")]
    [InlineData("user")]
    [InlineData("xtable")]
    [InlineData("Upper")]
    [InlineData("1digit")]
    [InlineData("")]
    public void Hostile_or_reserved_table_names_are_refused(string name)
    {
        var define = () => _repository.Tables.Define(new TableDefinition(name, [new TableColumn("id", ColumnType.Integer)], ["id"]));
        define.Should().Throw<TableSchemaException>();
    }

    [Theory]
    [InlineData("mtime")]
    [InlineData("_owner")]
    [InlineData("a\"b")]
    [InlineData("rowid")]
    public void Hostile_or_reserved_column_names_are_refused(string column)
    {
        var define = () => new TableDefinition("t", [new TableColumn("id", ColumnType.Integer), new TableColumn(column, ColumnType.Text)], ["id"]);
        define.Should().Throw<TableSchemaException>();
    }

    [Fact]
    public void A_value_of_the_wrong_type_or_an_unknown_column_is_refused()
    {
        var table = _repository.Tables.Define(Tasks());
        FluentActions.Invoking(() => table.Put(new TableRow { ["id"] = "one" })).Should().Throw<TableRowException>().WithMessage("*integer*");
        FluentActions.Invoking(() => table.Put(new TableRow { ["id"] = 1L, ["nope"] = 1L })).Should().Throw<TableRowException>().WithMessage("*no column 'nope'*");
        FluentActions.Invoking(() => table.Put(new TableRow { ["title"] = "no key" })).Should().Throw<TableRowException>().WithMessage("*key column 'id'*");
        FluentActions.Invoking(() => table.Put(new TableRow { ["id"] = 1L, ["weight"] = double.NaN })).Should().Throw<TableRowException>();
        FluentActions.Invoking(() => SyncedTable.FromJson(table.Definition, "{\"id\":1.5}")).Should().Throw<TableRowException>();
    }

    [Fact]
    public void Adding_columns_evolves_the_table_and_any_other_change_is_refused()
    {
        var table = _repository.Tables.Define(Tasks());
        table.Put(new TableRow { ["id"] = 1L, ["title"] = "kept" });
        string before = table.CatalogueHash();

        var evolved = _repository.Tables.Define(Tasks(new TableColumn("done", ColumnType.Integer)));
        evolved.Definition.Columns.Should().HaveCount(5);
        evolved.Get(new TableRow { ["id"] = 1L })!["title"].Should().Be("kept");
        evolved.Put(new TableRow { ["id"] = 2L, ["done"] = 1L });
        evolved.CatalogueHash().Should().NotBe(before);
        // The older definition changes nothing.
        _repository.Tables.Define(Tasks()).Definition.Columns.Should().HaveCount(5);

        var retyped = new TableDefinition("tasks", [new TableColumn("id", ColumnType.Text), new TableColumn("title", ColumnType.Text)], ["id"]);
        FluentActions.Invoking(() => _repository.Tables.Define(retyped)).Should().Throw<TableSchemaException>().WithMessage("*incompatible*");
        var rekeyed = new TableDefinition("tasks", Tasks().Columns, ["title"]);
        FluentActions.Invoking(() => _repository.Tables.Define(rekeyed)).Should().Throw<TableSchemaException>().WithMessage("*primary key*");
    }

    [Fact]
    public void Owner_write_rows_change_only_by_their_owner()
    {
        var notes = _repository.Tables.Define(new TableDefinition("notes", [new TableColumn("id", ColumnType.Integer), new TableColumn("body", ColumnType.Text)], ["id"], ConflictPolicy.OwnerWrite));
        notes.Put(new TableRow { ["id"] = 1L, ["body"] = "mine" }, user: "alice");
        notes.Get(new TableRow { ["id"] = 1L })!.Owner.Should().Be("alice");
        FluentActions.Invoking(() => notes.Put(new TableRow { ["id"] = 1L, ["body"] = "stolen" }, user: "bob")).Should().Throw<TableRowException>().WithMessage("*belongs to 'alice'*");
        FluentActions.Invoking(() => notes.Delete(new TableRow { ["id"] = 1L }, user: "bob")).Should().Throw<TableRowException>();
        notes.Put(new TableRow { ["id"] = 1L, ["body"] = "edited" }, user: "alice");
        notes.Get(new TableRow { ["id"] = 1L })!["body"].Should().Be("edited");
    }

    [Fact]
    public void A_local_write_supersedes_a_held_version_from_a_clock_ahead()
    {
        var clock = new FixedTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var repository = Repository.Create(_dir.File("clock.fossil"), new RepositoryOptions { TimeProvider = clock });
        var table = repository.Tables.Define(Tasks());
        table.Put(new TableRow { ["id"] = 1L, ["title"] = "a" });
        long first = table.Get(new TableRow { ["id"] = 1L })!.MTime!.Value;
        table.Put(new TableRow { ["id"] = 1L, ["title"] = "b" });
        table.Get(new TableRow { ["id"] = 1L })!.MTime.Should().Be(first + 1);
    }

    [Fact]
    public void Equal_tables_have_equal_catalogue_hashes_and_a_deletion_changes_it()
    {
        using var other = Repository.Create(_dir.File("other.fossil"), new RepositoryOptions { TimeProvider = new FixedTimeProvider(DateTimeOffset.UnixEpoch.AddDays(1)) });
        using var mine = Repository.Create(_dir.File("mine.fossil"), new RepositoryOptions { TimeProvider = new FixedTimeProvider(DateTimeOffset.UnixEpoch.AddDays(1)) });
        foreach (var repository in new[] { other, mine })
        {
            var table = repository.Tables.Define(Tasks());
            table.Put(new TableRow { ["id"] = 5L, ["title"] = "same" });
        }
        mine.Tables["tasks"].CatalogueHash().Should().Be(other.Tables["tasks"].CatalogueHash());
        mine.Tables["tasks"].Delete(new TableRow { ["id"] = 5L });
        mine.Tables["tasks"].CatalogueHash().Should().NotBe(other.Tables["tasks"].CatalogueHash());
    }
}
