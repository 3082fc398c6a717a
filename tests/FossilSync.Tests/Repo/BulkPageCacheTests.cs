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

    [Fact]
    public void A_scaled_cache_is_an_eighth_of_the_file_between_2_and_4_MB()
    {
        using var dir = new TempDirectory();
        using var repo = Repository.Create(dir.File("r.fossil"));
        using (BulkPageCache.ScaledTo(repo))
        {
            repo.Scalar<long>("PRAGMA cache_size").Should().Be(-2 * 1024, "a new repository is far under 16 MB");
        }
        // 24 MB of pages: a cache of 3 MB.
        Pad(repo, megabytes: 24);
        using (BulkPageCache.ScaledTo(repo))
        {
            repo.Scalar<long>("PRAGMA cache_size").Should().Be(-3 * 1024);
        }
        // 40 MB: no more than 4.
        Pad(repo, megabytes: 16);
        using (BulkPageCache.ScaledTo(repo))
        {
            repo.Scalar<long>("PRAGMA cache_size").Should().Be(-4 * 1024);
        }
    }

    private static void Pad(Repository repo, int megabytes) => repo.Execute(
        $"CREATE TABLE IF NOT EXISTS padding(x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<{megabytes}) INSERT INTO padding SELECT zeroblob(1048576) FROM n");
}
