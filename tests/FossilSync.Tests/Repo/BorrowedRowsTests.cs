using FossilSync.Repo;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo;

public sealed class BorrowedRowsTests
{
    [Fact]
    public void Reads_integers_text_and_blobs_with_bound_arguments_and_null_as_empty()
    {
        using var dir = new TempDirectory();
        using var repository = Repository.Create(dir.File("r.fossil"));
        repository.Execute("CREATE TABLE t(n INTEGER, s TEXT, b BLOB)");
        repository.Execute("INSERT INTO t VALUES(1, 'one', x'00ff10'), (2, NULL, NULL), (3, 'ünï', zeroblob(70000))");

        var seen = new List<(long, string, byte[])>();
        using (var rows = BorrowedRows.Query(repository, "SELECT n, s, b FROM t WHERE n>=?1 AND n<=?2 ORDER BY n", 1, 3))
        {
            while (rows.Step()) seen.Add((rows.Int64(0), System.Text.Encoding.UTF8.GetString(rows.Blob(1)), rows.Blob(2).ToArray()));
        }

        seen.Should().HaveCount(3);
        seen[0].Item1.Should().Be(1);
        seen[0].Item2.Should().Be("one");
        seen[0].Item3.Should().Equal(0x00, 0xff, 0x10);
        seen[1].Item2.Should().BeEmpty();
        seen[1].Item3.Should().BeEmpty();
        seen[2].Item2.Should().Be("ünï");
        seen[2].Item3.Should().HaveCount(70000).And.OnlyContain(b => b == 0);
    }

    [Fact]
    public void With_the_bundled_sqlite_the_rows_are_read_on_the_raw_statement_pointer()
    {
        // So the other tests here read through DirectColumns, the path a server takes.
        DirectColumns.Available.Should().BeTrue("Microsoft.Data.Sqlite's bundle loads e_sqlite3, the library DirectColumns calls");
    }

    [Fact]
    public void Bad_sql_is_a_repository_exception_that_is_not_busy()
    {
        using var dir = new TempDirectory();
        using var repository = Repository.Create(dir.File("r.fossil"));
        var query = () => BorrowedRows.Query(repository, "SELECT x FROM no_such_table");
        var thrown = query.Should().Throw<RepositoryException>().Which;
        thrown.Should().NotBeOfType<RepositoryBusyException>();
        thrown.Message.Should().Contain("no_such_table");
    }

    [Fact]
    public void A_read_while_another_connection_holds_the_file_exclusively_is_the_typed_busy_exception()
    {
        using var dir = new TempDirectory();
        string path = dir.File("locked.fossil");
        Repository.Create(path).Dispose();
        using var holder = Repository.Open(path);
        using var reader = Repository.Open(path, new RepositoryOptions { BusyTimeout = TimeSpan.FromMilliseconds(200) });
        holder.Execute("BEGIN EXCLUSIVE");
        try
        {
            using var rows = BorrowedRows.Query(reader, "SELECT rid FROM blob");
            var step = () => rows.Step();
            step.Should().Throw<RepositoryBusyException>();
        }
        finally
        {
            holder.Execute("ROLLBACK");
        }
    }
}
