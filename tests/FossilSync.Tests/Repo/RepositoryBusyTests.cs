using FossilSync.Repo;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo;

public sealed class RepositoryBusyTests
{
    private static readonly RepositoryOptions Quick = new() { BusyTimeout = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public void A_write_while_another_connection_holds_the_write_lock_throws_the_typed_busy_exception_and_keeps_nothing()
    {
        using var dir = new TempDirectory();
        string path = dir.File("locked.fossil");
        Repository.Create(path).Dispose();
        byte[] content = "written while another connection holds the lock\n"u8.ToArray();
        string hash;
        using (var holder = Repository.Open(path))
        using (var waiting = Repository.Open(path, Quick))
        {
            using (var writer = holder.BeginTransaction())
            {
                holder.Execute("INSERT INTO config(name, value, mtime) VALUES('holder', 1, 0)");
                var write = () => waiting.PutArtifact(content);
                var thrown = write.Should().Throw<RepositoryBusyException>().Which;
                thrown.Should().BeAssignableTo<RepositoryException>();
                thrown.InnerException.Should().NotBeNull();
                writer.Commit();
            }
            hash = waiting.PutArtifact(content);
        }
        using var reopened = Repository.Open(path);
        reopened.GetArtifact(hash).Should().Equal(content);
        reopened.GetConfig("holder").Should().Be("1");
    }

    [Fact]
    public void A_reader_that_turns_writer_while_another_connection_holds_the_write_lock_throws_the_typed_busy_exception()
    {
        using var dir = new TempDirectory();
        string path = dir.File("locked.fossil");
        Repository.Create(path).Dispose();
        using var holder = Repository.Open(path);
        using var reader = Repository.Open(path, Quick);
        using var writer = holder.BeginTransaction();
        holder.Execute("INSERT INTO config(name, value, mtime) VALUES('holder', 1, 0)");
        using var deferred = reader.BeginTransaction(deferred: true);
        reader.GetConfig("project-code").Should().NotBeNull();
        var write = () => reader.Execute("INSERT INTO config(name, value, mtime) VALUES('reader', 1, 0)");
        write.Should().Throw<RepositoryBusyException>();
    }

    [Fact]
    public void Any_other_database_failure_is_a_repository_exception_that_is_not_busy()
    {
        using var dir = new TempDirectory();
        using var repository = Repository.Create(dir.File("plain.fossil"));
        var broken = () => repository.Execute("INSERT INTO no_such_table VALUES(1)");
        var thrown = broken.Should().Throw<RepositoryException>().Which;
        thrown.Should().NotBeOfType<RepositoryBusyException>();
        thrown.IsStorageFailure.Should().BeTrue();
        thrown.Message.Should().Contain("no_such_table");
    }
}
