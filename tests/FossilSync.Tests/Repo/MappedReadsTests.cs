using FossilSync.Repo;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo;

public sealed class MappedReadsTests
{
    [Fact]
    public void The_file_is_mapped_only_until_disposed()
    {
        using var dir = new TempDirectory();
        using var repository = Repository.Create(dir.File("r.fossil"));
        repository.Scalar<long>("PRAGMA mmap_size").Should().Be(0);
        using (MappedReads.During(repository))
        {
            repository.Scalar<long>("PRAGMA mmap_size").Should().BeGreaterThan(0);
        }
        repository.Scalar<long>("PRAGMA mmap_size").Should().Be(0, "the mapped pages must stop counting toward the process's memory");
    }

    [Fact]
    public void A_map_the_caller_had_on_is_left_on()
    {
        using var dir = new TempDirectory();
        using var repository = Repository.Create(dir.File("r.fossil"));
        repository.Execute("PRAGMA mmap_size=65536");
        using (MappedReads.During(repository))
        {
            repository.Scalar<long>("PRAGMA mmap_size").Should().BeGreaterThan(65536);
        }
        repository.Scalar<long>("PRAGMA mmap_size").Should().Be(65536);
    }
}
