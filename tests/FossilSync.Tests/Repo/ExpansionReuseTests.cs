using System.Text;
using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Repo.Crosslink;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo;

/// <summary>
/// Arrays of expansions are reused only after every reader is done (<see cref="SharedExpansion"/>,
/// <see cref="ExpansionPool"/>): a walk over a delta tree of large texts, where a parent's array
/// handed back too early would be overwritten by one child's expansion before its sibling is
/// expanded from it, still verifies and rebuilds with every artifact hashed.
/// </summary>
public sealed class ExpansionReuseTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Repository _repository;

    public ExpansionReuseTests() =>
        _repository = Repository.Create(_dir.File("r.fossil"), new RepositoryOptions { Random = new Random(21), InitialCheckIn = false });

    public void Dispose()
    {
        _repository.Dispose();
        _dir.Dispose();
    }

    private static string Sha3(byte[] content) => ArtifactHash.Compute(content, HashKind.Sha3_256);

    // Above the pool's threshold, all about the same length so that any idle array fits.
    private static byte[] Large(string seed) =>
        Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 6000).Select(i => $"{seed} {i % 97} line {i}\n")));

    // Each version changes another place, so content from a wrong source shows.
    private static byte[] Edit(byte[] text, string change, int place)
    {
        byte[] edited = (byte[])text.Clone();
        Encoding.UTF8.GetBytes(change).CopyTo(edited, place * 1543 % (edited.Length - 100));
        return edited;
    }

    // A root, its one delta child, and that one's eight children, each the head of a chain of twelve versions: while one child's
    // chain is walked, the root's content waits for the others.
    private int StoreSiblingChains()
    {
        byte[] root = Large("root");
        // The branches start from a delta, whose expansion (unlike a full text) is pooled.
        byte[] trunk = Edit(root, "trunk ", 0);
        int stored = 2;
        using var tx = _repository.BeginTransaction();
        _repository.PutArtifact(Sha3(root), root);
        _repository.Content.PutDelta(Sha3(trunk), Sha3(root), FossilDelta.Create(root, trunk), new StoreOptions());
        for (int branch = 0; branch < 8; branch++)
        {
            byte[] source = trunk;
            for (int version = 0; version < 12; version++)
            {
                byte[] next = Edit(source, $"branch {branch} version {version} ", (branch * 12) + version + 1);
                _repository.Content.PutDelta(Sha3(next), Sha3(source), FossilDelta.Create(source, next), new StoreOptions());
                source = next;
                stored++;
            }
        }
        tx.Commit();
        return stored;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Verify_of_sibling_chains_hashes_every_artifact_right(bool useLanes)
    {
        int stored = StoreSiblingChains();
        _repository.Content.ForgetCache();
        var report = new RepositoryVerifier(_repository, useLanes).Run(CancellationToken.None);
        report.Problems.Should().BeEmpty();
        report.Verified.Should().Be(stored);
    }

    [Fact]
    public void A_verifying_rebuild_of_sibling_chains_hashes_every_artifact_right()
    {
        StoreSiblingChains();
        _repository.Content.ForgetCache();
        var rebuild = () => Rebuilder.Run(_repository, verify: true);
        rebuild.Should().NotThrow();
        _repository.Verify().IsOk.Should().BeTrue();
    }

    // A file's versions as a main line of twenty deltas with a one-version side branch at each:
    // in stock's child order the walk would often go down the main line first, holding each
    // branch point's content until the walk came back for its side branch.
    private int StoreMainLineWithSideBranches(int length)
    {
        byte[] root = Large("file");
        byte[] source = Edit(root, "first ", 0);
        using var tx = _repository.BeginTransaction();
        _repository.PutArtifact(Sha3(root), root);
        _repository.Content.PutDelta(Sha3(source), Sha3(root), FossilDelta.Create(root, source), new StoreOptions());
        int stored = 2;
        for (int version = 1; version <= length; version++)
        {
            byte[] side = Edit(source, $"side {version} ", 2 * version);
            byte[] next = Edit(source, $"main {version} ", (2 * version) + 1);
            // Stored in alternating order, so the main line's child is sometimes the first in stock's order, sometimes not.
            foreach (byte[] child in version % 2 == 0 ? [side, next] : new[] { next, side })
            {
                _repository.Content.PutDelta(Sha3(child), Sha3(source), FossilDelta.Create(source, child), new StoreOptions());
            }
            stored += 2;
            source = next;
        }
        tx.Commit();
        return stored;
    }

    [Fact]
    public void A_rebuild_walks_a_files_versions_holding_a_few_at_once_and_keeps_none_idle_after()
    {
        StoreMainLineWithSideBranches(20);
        _repository.Content.ForgetCache();
        var pool = new ExpansionPool();
        // Without the hash check, whose room would hold all of these small versions.
        Rebuilder.Run(_repository, verify: false, pool: pool);
        _repository.Verify().IsOk.Should().BeTrue();
        // The content at hand, its source, and a branch point waiting for its side branch.
        pool.PeakOutstanding.Should().BeLessThanOrEqualTo(3, "the main line's child is walked last at each branch point, so the branch point is released before it");
        pool.Reused.Should().BeGreaterThan(0, "the walk hands the arrays of versions it is done with to the next versions");
        pool.IdleBytes.Should().Be(0, "the next file's versions would seldom fit them; they would only sit idle");
    }

    [Fact]
    public void A_batch_of_large_versions_hashed_side_by_side_comes_back_whole_for_the_next_batch()
    {
        // As a clone's final pass sizes its pool beside its checker; versions of a 4 MB file, as many as its room holds.
        var pool = new ExpansionPool(ExpansionPool.IdleBytesBeside(HashChecker.DefaultLargestRoom));
        const int Length = 4 * 1024 * 1024;
        const int Batch = (int)(HashChecker.DefaultLargestRoom / Length);
        using (var checker = new HashChecker(useLanes: true))
        {
            for (int i = 0; i < Batch; i++)
            {
                var version = SharedExpansion.Pooled(pool.Rent(Length), Length, pool);
                checker.Add(new string('a', ArtifactHash.Sha3Length), version);
                version.Release();
            }
            checker.Complete().Should().HaveCount(Batch, "each version was hashed (against a name it does not have)");
        }
        for (int i = 0; i < Batch; i++) pool.Rent(Length);
        pool.Reused.Should().Be(Batch, "a large array the pool drops is garbage that only a full collection frees, and the walk allocates another");
    }

    [Fact]
    public void Neediest_last_keeps_the_others_in_their_order()
    {
        // 1 <- 2 <- 3, 2 <- 6, 1 <- 4, 1 <- 5: 2's subtree needs two, the leaves one.
        var order = OrderOfDeltaRows((2L, 1L), (3L, 2L), (6L, 2L), (4L, 1L), (5L, 1L));
        order.NeediestLast([5, 2, 4]).Should().Equal(5, 4, 2);
        order.NeediestLast([5, 4]).Should().Equal(5, 4);
    }

    [Fact]
    public void An_array_goes_back_to_the_pool_only_after_the_last_release()
    {
        var pool = new ExpansionPool();
        int length = ExpansionPool.MinimumPooledLength;
        byte[] array = pool.Rent(length);
        var content = SharedExpansion.Pooled(array, length, pool);
        content.Hold();
        content.Release();
        pool.Rent(length).Should().NotBeSameAs(array, "one reader still holds it");
        content.Release();
        pool.Rent(length).Should().BeSameAs(array);
        var released = () => content.Release();
        released.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void A_detached_array_never_goes_back_to_the_pool()
    {
        var pool = new ExpansionPool();
        int length = ExpansionPool.MinimumPooledLength;
        byte[] array = new byte[length];
        var content = SharedExpansion.Pooled(array, length, pool);
        content.Detach().Should().BeSameAs(array);
        content.Release();
        pool.Rent(length).Should().NotBeSameAs(array);
    }

    [Fact]
    public void The_neediest_child_is_walked_last()
    {
        // 1 <- 2 <- 3 <- 4 and 2 <- 6 (a branching chain), and 1 <- 5 (a leaf): the chain goes last.
        var order = OrderOfDeltaRows((2L, 1L), (3L, 2L), (4L, 3L), (5L, 1L), (6L, 2L));
        order.ChildrenOf(1).Should().Equal(5, 2);
        order.Need(1).Should().Be(2);
    }

    // Only the delta table's rows (rid, source): an order needs nothing else.
    private FewestHeldOrder OrderOfDeltaRows(params (long Rid, long Source)[] rows)
    {
        using (var tx = _repository.BeginTransaction())
        {
            foreach (var (rid, source) in rows)
            {
                _repository.Execute("INSERT INTO delta(rid, srcid) VALUES($r, $s)", ("$r", rid), ("$s", source));
            }
            tx.Commit();
        }
        return FewestHeldOrder.For(DeltaTree.Read(_repository), [1L]);
    }
}
