using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Repo.Crosslink;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo.Crosslink;

/// <summary>
/// A bulk load owns the clone's speed-ups: name lookups from memory and a larger page cache
/// while it lasts, the ordinary queries and cache after; and its final pass checks what was
/// stored unchecked.
/// </summary>
public sealed class BulkLoadTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Repository _repository;

    public BulkLoadTests() => _repository = Repository.Create(_dir.File("r.fossil"), new RepositoryOptions { Random = new Random(7), InitialCheckIn = false });

    public void Dispose()
    {
        _repository.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void While_it_lasts_lookups_come_from_memory_and_the_page_cache_is_larger_then_both_go_back()
    {
        var repository = _repository;
        long cacheBefore = repository.Scalar<long>("PRAGMA cache_size");
        // A row written behind the store's back is seen by a query, not by the in-memory table.
        string behindItsBack = new('b', 64);
        using (var bulk = BulkLoad.Begin(repository))
        {
            BulkLoad.TransferPageCacheMegabytes.Should().BeGreaterThan(2, "SQLite's default is 2 MB");
            repository.Scalar<long>("PRAGMA cache_size").Should().Be(-BulkLoad.TransferPageCacheMegabytes * 1024);
            repository.Execute("INSERT INTO blob(rcvid, size, uuid, content) VALUES(0, -1, $u, NULL)", ("$u", behindItsBack));
            repository.Content.FindRid(behindItsBack).Should().BeNull("the bulk load's lookups come from its name table");
        }
        repository.Content.FindRid(behindItsBack).Should().NotBeNull("after the bulk load lookups are queries again");
        repository.Scalar<long>("PRAGMA cache_size").Should().Be(cacheBefore);
    }

    [Fact]
    public void Finish_rejects_an_artifact_stored_unchecked_that_does_not_hash_to_its_name()
    {
        var repository = _repository;
        byte[] content = "what was sent\n"u8.ToArray();
        string wrongName = ArtifactHash.Compute("what was named\n"u8, HashKind.Sha3_256);
        using var bulk = BulkLoad.Begin(repository);
        using (var transaction = repository.BeginTransaction())
        {
            repository.Content.PutFull(content, wrongName, new StoreOptions { VerifyLater = bulk.VerifiesLater });
            transaction.Commit();
        }
        var finish = () => bulk.Finish();
        finish.Should().Throw<CorruptContentException>().WithMessage("*do not hash to their names*");
    }
}
