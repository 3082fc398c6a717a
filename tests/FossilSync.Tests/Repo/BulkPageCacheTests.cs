using FossilSync.Repo;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo;

public sealed class BulkPageCacheTests
{
    [Fact]
    public void The_larger_cache_lasts_until_disposed()
    {
        using var dir = new TempDirectory();
        using var repo = Repository.Create(dir.File("r.fossil"));
        long before = repo.Scalar<long>("PRAGMA cache_size");
        using (BulkPageCache.Use(repo, megabytes: 16))
        {
            repo.Scalar<long>("PRAGMA cache_size").Should().Be(-16 * 1024);
        }
        repo.Scalar<long>("PRAGMA cache_size").Should().Be(before).And.NotBe(-16 * 1024);
    }
}
