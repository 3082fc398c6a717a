using System.Buffers.Binary;
using System.Text;
using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo;

public sealed class ContentStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Repository _repository;

    public ContentStoreTests() => _repository = Repository.Create(_dir.File("r.fossil"), new RepositoryOptions { Random = new Random(3), InitialCheckIn = false });

    public void Dispose()
    {
        _repository.Dispose();
        _dir.Dispose();
    }

    private static byte[] Text(string seed) => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 200).Select(i => $"{seed} line {i}\n")));

    private static string Sha3(byte[] content) => ArtifactHash.Compute(content, HashKind.Sha3_256);

    private long BlobRows() => _repository.Scalar<long>("SELECT count(*) FROM blob");

    [Fact]
    public void A_received_delta_is_checked_without_an_array_of_its_own()
    {
        // Versions of a file of a megabyte, each received as a delta against the first.
        byte[] source = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 100_000).Select(i => $"line {i}\n")));
        using var tx = _repository.BeginTransaction();
        _repository.Content.PutFull(source, Sha3(source), new StoreOptions());
        long allocated = 0;
        for (int version = 1; version <= 2; version++)
        {
            byte[] target = [.. source, .. Encoding.UTF8.GetBytes($"version {version}\n")];
            byte[] delta = FossilDelta.Create(source, target);
            long before = GC.GetAllocatedBytesForCurrentThread();
            _repository.Content.PutDelta(Sha3(target), Sha3(source), delta, new StoreOptions());
            // The first check rents its array; the second measures the steady state.
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        // Reading the source (decompressed) costs its size once; a fresh expansion to check would cost as much again.
        allocated.Should().BeLessThan(source.Length * 3 / 2);
        tx.Commit();
    }

    [Fact]
    public void Content_under_a_wrong_name_is_rejected_and_nothing_is_written()
    {
        byte[] content = Text("a");
        var act = () => _repository.PutArtifact(Sha3(Text("b")), content);
        act.Should().Throw<CorruptContentException>().WithMessage("*hashes to*");
        BlobRows().Should().Be(0);
    }

    [Fact]
    public void A_transaction_that_fails_halfway_leaves_nothing()
    {
        try
        {
            using var tx = _repository.BeginTransaction();
            _repository.PutArtifact(Text("kept?"));
            _repository.PutArtifact(Sha3(Text("x")), Text("y"));
            tx.Commit();
        }
        catch (CorruptContentException)
        {
        }
        BlobRows().Should().Be(0);
        _repository.Scalar<long>("SELECT count(*) FROM unclustered").Should().Be(0);
    }

    [Fact]
    public void Sha1_names_are_verified_with_sha1()
    {
        byte[] content = Text("sha1");
        _repository.PutArtifact(ArtifactHash.Compute(content, HashKind.Sha1), content);
        _repository.GetArtifact(ArtifactHash.Compute(content, HashKind.Sha1)).Should().Equal(content);
    }

    [Fact]
    public void A_delta_whose_source_is_missing_waits_on_a_phantom_and_is_checked_when_it_arrives()
    {
        byte[] source = Text("base"), target = [.. Text("base"), .. "tail\n"u8];
        using (var tx = _repository.BeginTransaction())
        {
            _repository.Content.PutDelta(Sha3(target), Sha3(source), FossilDelta.Create(source, target), new StoreOptions());
            tx.Commit();
        }
        _repository.HasArtifact(Sha3(source)).Should().BeFalse();
        _repository.Scalar<long>("SELECT count(*) FROM phantom").Should().Be(1);
        _repository.GetArtifact(Sha3(target)).Should().BeNull("its chain is incomplete");

        _repository.PutArtifact(Sha3(source), source);
        _repository.Scalar<long>("SELECT count(*) FROM phantom").Should().Be(0);
        _repository.GetArtifact(Sha3(target)).Should().Equal(target);
        _repository.Content.DrainRejected().Should().BeEmpty();
        _repository.Verify().Should().Match<VerifyReport>(r => r.IsOk && r.Verified == 2);
    }

    [Fact]
    public void A_chain_of_dangling_deltas_arriving_newest_first_is_checked_when_its_root_arrives()
    {
        byte[] a = Text("root"), b = [.. a, .. "b\n"u8], c = [.. b, .. "c\n"u8];
        using (var tx = _repository.BeginTransaction())
        {
            // Clone order: rid order, not history order.
            _repository.Content.PutDelta(Sha3(c), Sha3(b), FossilDelta.Create(b, c), new StoreOptions());
            _repository.Content.PutDelta(Sha3(b), Sha3(a), FossilDelta.Create(a, b), new StoreOptions());
            tx.Commit();
        }
        _repository.Content.DrainRejected().Should().BeEmpty("an incomplete chain is not a wrong one");
        _repository.GetArtifact(Sha3(c)).Should().BeNull();
        _repository.PutArtifact(Sha3(a), a);
        _repository.Content.DrainRejected().Should().BeEmpty();
        _repository.GetArtifact(Sha3(c)).Should().Equal(c);
        _repository.Verify().Should().Match<VerifyReport>(r => r.IsOk && r.Verified == 3);
    }

    [Fact]
    public void A_dangling_delta_that_turns_out_wrong_becomes_a_phantom_again()
    {
        byte[] source = Text("base"), target = [.. Text("base"), .. "tail\n"u8];
        string claimed = Sha3(Text("something else entirely"));
        using (var tx = _repository.BeginTransaction())
        {
            _repository.Content.PutDelta(claimed, Sha3(source), FossilDelta.Create(source, target), new StoreOptions());
            tx.Commit();
        }
        _repository.PutArtifact(Sha3(source), source);
        _repository.Content.DrainRejected().Should().Equal(claimed);
        _repository.HasArtifact(claimed).Should().BeFalse();
        _repository.Content.IsPhantom(_repository.Content.FindRid(claimed)!.Value).Should().BeTrue("it must be fetched again");
        _repository.Verify().IsOk.Should().BeTrue();
    }

    [Fact]
    public void A_delta_with_its_source_present_is_checked_before_it_is_stored()
    {
        byte[] source = Text("base"), target = [.. Text("base"), .. "tail\n"u8];
        _repository.PutArtifact(Sha3(source), source);
        long before = BlobRows();
        var act = () =>
        {
            using var tx = _repository.BeginTransaction();
            _repository.Content.PutDelta(Sha3(Text("wrong")), Sha3(source), FossilDelta.Create(source, target), new StoreOptions());
            tx.Commit();
        };
        act.Should().Throw<CorruptContentException>();
        BlobRows().Should().Be(before);
    }

    [Fact]
    public void Received_envelopes_are_stored_verbatim_and_hostile_ones_refused()
    {
        byte[] content = Text("cfile");
        byte[] envelope = BlobCompression.Compress(content);
        using (var tx = _repository.BeginTransaction())
        {
            _repository.Content.PutCompressed(Sha3(content), null, envelope, content.Length, new StoreOptions());
            tx.Commit();
        }
        _repository.Scalar<byte[]>("SELECT content FROM blob").Should().Equal(envelope);
        _repository.GetArtifact(Sha3(content)).Should().Equal(content);

        byte[] other = Text("other");
        byte[] bomb = BlobCompression.Compress(other);
        BinaryPrimitives.WriteUInt32BigEndian(bomb, int.MaxValue);
        byte[] truncated = BlobCompression.Compress(other)[..^6];
        foreach (var hostile in new[] { bomb, truncated })
        {
            var act = () =>
            {
                using var tx = _repository.BeginTransaction();
                _repository.Content.PutCompressed(Sha3(other), null, hostile, other.Length, new StoreOptions());
                tx.Commit();
            };
            act.Should().Throw<CorruptContentException>();
        }
        BlobRows().Should().Be(1);
    }

    [Fact]
    public void Long_delta_chains_expand_without_recursion()
    {
        byte[] previous = Text("v0");
        string previousHash = _repository.PutArtifact(previous);
        using (var tx = _repository.BeginTransaction())
        {
            for (int i = 1; i <= 3000; i++)
            {
                byte[] next = [.. previous, .. Encoding.UTF8.GetBytes($"version {i}\n")];
                string hash = Sha3(next);
                _repository.Content.PutDelta(hash, previousHash, FossilDelta.Create(previous, next), new StoreOptions());
                (previous, previousHash) = (next, hash);
            }
            tx.Commit();
        }
        using var cold = Repository.Open(_repository.Path, new RepositoryOptions { ContentCacheBytes = 0 });
        cold.GetArtifact(previousHash).Should().Equal(previous);
        cold.Verify().Should().Match<VerifyReport>(r => r.IsOk && r.Verified == 3001);
    }

    [Fact]
    public void A_chain_walk_stops_at_a_pinned_expansion()
    {
        byte[] v0 = Text("v0"), v1 = [.. v0, .. "one\n"u8], v2 = [.. v1, .. "two\n"u8];
        string h0 = _repository.PutArtifact(v0);
        _repository.Content.PutDelta(Sha3(v1), h0, FossilDelta.Create(v0, v1), new StoreOptions());
        _repository.Content.PutDelta(Sha3(v2), Sha3(v1), FossilDelta.Create(v1, v2), new StoreOptions());
        using var cold = Repository.Open(_repository.Path, new RepositoryOptions { ContentCacheBytes = 0 });
        long r1 = cold.Content.FindRid(Sha3(v1))!.Value, r2 = cold.Content.FindRid(Sha3(v2))!.Value;
        // With the full text gone, only the pinned middle link can produce v2.
        cold.Execute("UPDATE blob SET content=NULL, size=-1 WHERE uuid=$h", ("$h", h0));

        cold.Content.Pin(r1, v1);
        cold.Content.Get(r2).Should().Equal(v2);
        cold.Content.Unpin(r1);
        cold.Content.Get(r2).Should().BeNull();
    }

    [Fact]
    public void Shunned_names_are_never_stored_nor_made_phantoms()
    {
        byte[] content = Text("banned");
        _repository.Execute("INSERT INTO shun(uuid, mtime, scom) VALUES($u, 0, 'test')", ("$u", Sha3(content)));
        using var tx = _repository.BeginTransaction();
        _repository.Content.GetOrCreatePhantom(Sha3(content)).Should().Be(0);
        _repository.Content.PutFull(content, Sha3(content), new StoreOptions()).Should().Be(0);
        tx.Commit();
        BlobRows().Should().Be(0);
    }
}
