using System.Text;
using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo;

public sealed class ContentCacheTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] Text(string seed, int lines = 200) => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, lines).Select(i => $"{seed} line {i}\n")));

    private static string Sha3(byte[] content) => ArtifactHash.Compute(content, HashKind.Sha3_256);

    private static string Key(int i) => i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // Shared cache only: the connection's own cache would hide what the shared one does.
    private Repository Open(string path, ContentCache cache) => Repository.Open(path, new RepositoryOptions { ContentCache = cache, ContentCacheBytes = 0 });

    private Repository CreateRepository(string name) => Repository.Create(_dir.File(name), new RepositoryOptions { Random = new Random(5), InitialCheckIn = false, ContentCacheBytes = 0 });

    [Fact]
    public void The_least_recently_used_entries_go_first_once_the_bytes_are_over_capacity()
    {
        var cache = new ContentCache(1000);
        for (int i = 0; i < 4; i++) cache.Add(Key(i), new byte[240]);
        cache.TryGet(Key(0), out _).Should().BeTrue();

        cache.Add(Key(4), new byte[240]);

        cache.Bytes.Should().Be(960);
        cache.Contains(Key(1)).Should().BeFalse("1 was the least recently used once 0 was read");
        foreach (int kept in new[] { 0, 2, 3, 4 }) cache.Contains(Key(kept)).Should().BeTrue();
        cache.Add(Key(5), new byte[600]);
        cache.Contains(Key(5)).Should().BeFalse("an entry over a quarter of the capacity is not kept");
        (cache.Hits, cache.Misses).Should().Be((1L, 0L));
    }

    [Fact]
    public void Copies_offered_newest_first_keep_only_what_fits_with_the_newest_most_recently_used()
    {
        var cache = new ContentCache(1000);
        cache.Add(Key(9), new byte[240]);
        var offered = Enumerable.Range(0, 6).Select(i => (Key(i), (ReadOnlyMemory<byte>)new byte[240])).ToList();
        offered.Insert(2, (Key(7), new byte[600]));

        cache.AddCopies(offered);
        cache.Bytes.Should().Be(960, "four fit; the one over a quarter of the capacity is passed over");
        // Reading an entry makes it the most recently used, so the order is checked first.
        cache.Add(Key(8), new byte[240]);

        cache.Contains(Key(3)).Should().BeFalse("the oldest offered that was kept is the least recently used");
        foreach (int kept in new[] { 0, 1, 2, 8 }) cache.Contains(Key(kept)).Should().BeTrue();
        foreach (int left in new[] { 4, 5, 7, 9 }) cache.Contains(Key(left)).Should().BeFalse();
    }

    [Fact]
    public void Copies_are_made_only_of_what_the_cache_keeps()
    {
        const int Size = 64 * 1024;
        var cache = new ContentCache(1024 * 1024);
        var offered = Enumerable.Range(0, 64).Select(i => (Key(i), (ReadOnlyMemory<byte>)new byte[Size])).ToList();

        long before = GC.GetAllocatedBytesForCurrentThread();
        cache.AddCopies(offered);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        cache.Count.Should().Be(16);
        allocated.Should().BeLessThan(20L * Size, "sixteen of the sixty-four fit, so sixteen are copied");
    }

    [Fact]
    public void A_rid_reused_after_a_rolled_back_round_never_gets_the_content_it_named_before()
    {
        var cache = new ContentCache();
        using var repository = CreateRepository("r.fossil");
        repository.Dispose();
        using var writer = Open(repository.Path, cache);
        byte[] baseline = Text("base");
        string baseHash = writer.PutArtifact(baseline);
        byte[] rolledBack = [.. baseline, .. "rolled back\n"u8], kept = [.. baseline, .. "kept\n"u8];

        long firstRid;
        using (writer.BeginTransaction())
        {
            firstRid = writer.Content.PutDelta(Sha3(rolledBack), baseHash, FossilDelta.Create(baseline, rolledBack), new StoreOptions());
            writer.Content.Get(firstRid).Should().Equal(rolledBack);
            cache.Contains(Sha3(rolledBack)).Should().BeTrue("checked content goes into the shared cache");
        }
        long secondRid;
        using (var transaction = writer.BeginTransaction())
        {
            secondRid = writer.Content.PutDelta(Sha3(kept), baseHash, FossilDelta.Create(baseline, kept), new StoreOptions());
            transaction.Commit();
        }

        secondRid.Should().Be(firstRid, "the scenario needs the rolled-back rid reused");
        writer.Content.Get(secondRid).Should().Equal(kept);
        using var reader = Open(repository.Path, cache);
        reader.Content.Get(secondRid).Should().Equal(kept);
    }

    [Fact]
    public void A_delta_checked_when_its_source_arrives_is_checked_against_its_own_bytes_not_the_shared_cache()
    {
        // Another repository holds the right content and has put it in the shared cache.
        var cache = new ContentCache();
        byte[] source = Text("source"), target = [.. source, .. "target\n"u8], wrong = [.. source, .. "wrong!\n"u8];
        string targetHash = Sha3(target);
        using (var created = CreateRepository("other.fossil"))
        {
            created.PutArtifact(source);
            created.Content.PutDelta(targetHash, Sha3(source), FossilDelta.Create(source, target), new StoreOptions());
        }
        using (var other = Open(_dir.File("other.fossil"), cache)) other.GetArtifact(targetHash).Should().Equal(target);
        cache.Contains(targetHash).Should().BeTrue();
        CreateRepository("r.fossil").Dispose();
        using var repository = Open(_dir.File("r.fossil"), cache);

        // A damaged delta arrives before its source, then the source.
        using (var transaction = repository.BeginTransaction())
        {
            repository.Content.PutDelta(targetHash, Sha3(source), FossilDelta.Create(source, wrong), new StoreOptions());
            repository.PutArtifact(source);
            transaction.Commit();
        }

        repository.Content.DrainRejected().Should().Equal(targetHash);
        repository.Content.IsPhantom(repository.Content.FindRid(targetHash)!.Value).Should().BeTrue();
    }

    [Fact]
    public void A_damaged_delta_found_out_when_its_source_arrives_leaves_nothing_in_the_shared_cache()
    {
        var cache = new ContentCache();
        CreateRepository("r.fossil").Dispose();
        using var repository = Open(_dir.File("r.fossil"), cache);
        byte[] source = Text("source"), target = [.. source, .. "target\n"u8], wrong = [.. source, .. "wrong!\n"u8];
        string targetHash = Sha3(target);

        using (var transaction = repository.BeginTransaction())
        {
            repository.Content.PutDelta(targetHash, Sha3(source), FossilDelta.Create(source, wrong), new StoreOptions());
            repository.PutArtifact(source);
            transaction.Commit();
        }
        repository.Content.PutDelta(targetHash, Sha3(source), FossilDelta.Create(source, target), new StoreOptions());

        cache.Contains(targetHash).Should().BeFalse();
        repository.GetArtifact(targetHash).Should().Equal(target);
    }

    [Fact]
    public void A_connection_that_stored_content_to_check_later_keeps_its_expansions_to_itself()
    {
        var cache = new ContentCache();
        CreateRepository("r.fossil").Dispose();
        using var repository = Open(_dir.File("r.fossil"), cache);
        byte[] source = Text("source"), target = [.. source, .. "target\n"u8];
        string sourceHash = repository.PutArtifact(source);

        // A clone's transfer: stored unchecked, checked by its final pass.
        long rid = repository.Content.PutDelta(Sha3(target), sourceHash, FossilDelta.Create(source, target), new StoreOptions { VerifyLater = true });
        repository.Content.Get(rid).Should().Equal(target);

        cache.Contains(Sha3(target)).Should().BeFalse();
    }

    [Fact]
    public void Concurrent_connections_share_one_cache_and_each_reads_the_right_content()
    {
        var cache = new ContentCache(256 * 1024);
        var versions = new List<(string Hash, byte[] Content)>();
        using (var repository = CreateRepository("r.fossil"))
        {
            byte[] previous = Text("v0", 400);
            versions.Add((repository.PutArtifact(previous), previous));
            using var transaction = repository.BeginTransaction();
            for (int i = 1; i <= 120; i++)
            {
                byte[] next = [.. previous, .. Encoding.UTF8.GetBytes($"version {i}\n")];
                repository.Content.PutDelta(Sha3(next), versions[^1].Hash, FossilDelta.Create(previous, next), new StoreOptions());
                versions.Add((Sha3(next), next));
                previous = next;
            }
            transaction.Commit();
        }

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, worker =>
        {
            using var connection = Open(_dir.File("r.fossil"), cache);
            var random = new Random(worker);
            for (int n = 0; n < 400; n++)
            {
                var (hash, content) = versions[random.Next(versions.Count)];
                connection.GetArtifact(hash).Should().Equal(content);
            }
        });

        cache.Hits.Should().BeGreaterThan(0);
        cache.Bytes.Should().BeLessThanOrEqualTo(cache.CapacityBytes);
    }
}
