using System.Text;
using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo;

/// <summary>
/// What <see cref="Repository.Verify"/> finds when stored content is wrong, both ways the names
/// are hashed (in lanes and one at a time): each bad artifact by rid and name, with the check it
/// failed, and the good ones below it still verified.
/// </summary>
public sealed class RepositoryVerifierTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Repository _repository;

    public RepositoryVerifierTests() =>
        _repository = Repository.Create(_dir.File("r.fossil"), new RepositoryOptions { Random = new Random(15), InitialCheckIn = false });

    public void Dispose()
    {
        _repository.Dispose();
        _dir.Dispose();
    }

    public static TheoryData<bool> Modes => [true, false];

    private static byte[] Text(string seed) => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 300).Select(i => $"{seed} line {i}\n")));

    private static string Sha3(byte[] content) => ArtifactHash.Compute(content, HashKind.Sha3_256);

    private long RidOf(byte[] content) => _repository.Content.FindRid(Sha3(content))!.Value;

    // root (full text) <- middle (delta) <- leaf (delta), and an unrelated full text.
    private (byte[] Root, byte[] Middle, byte[] Leaf, byte[] Other) StoreChain()
    {
        byte[] root = Text("root"), middle = [.. root, .. "middle\n"u8], leaf = [.. middle, .. "leaf\n"u8], other = Text("other");
        using var tx = _repository.BeginTransaction();
        _repository.PutArtifact(Sha3(root), root);
        _repository.Content.PutDelta(Sha3(middle), Sha3(root), FossilDelta.Create(root, middle), new StoreOptions());
        _repository.Content.PutDelta(Sha3(leaf), Sha3(middle), FossilDelta.Create(middle, leaf), new StoreOptions());
        _repository.PutArtifact(Sha3(other), other);
        tx.Commit();
        return (root, middle, leaf, other);
    }

    private VerifyReport Verify(bool useLanes) => new RepositoryVerifier(_repository, useLanes).Run(CancellationToken.None);

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_good_chain_verifies_every_artifact(bool useLanes)
    {
        StoreChain();
        Verify(useLanes).Should().Match<VerifyReport>(r => r.IsOk && r.Verified == 4 && r.Skipped == 0);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_full_text_changed_in_place_fails_its_name_and_its_delta_fails_its_checksum(bool useLanes)
    {
        var (root, middle, _, _) = StoreChain();
        byte[] tampered = [.. root];
        tampered[0] ^= 1;
        _repository.Execute("UPDATE blob SET content=$c WHERE rid=$r", ("$c", BlobCompression.Compress(tampered)), ("$r", RidOf(root)));

        var report = Verify(useLanes);

        report.Problems.Should().HaveCount(3);
        report.Problems.Should().ContainSingle(p => p.Rid == RidOf(root) && p.Hash == Sha3(root) && p.Reason.Contains("wrong hash"));
        report.Problems.Should().ContainSingle(p => p.Rid == RidOf(middle) && p.Reason.Contains("checksum"));
        report.Problems.Should().ContainSingle(p => p.Reason.Contains("not reached from any full text"), "nothing below a delta that does not expand can be");
        report.Verified.Should().Be(1, "only the unrelated full text is right");
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_wrong_recorded_size_is_reported_and_the_deltas_below_still_verify(bool useLanes)
    {
        var (_, middle, leaf, _) = StoreChain();
        _repository.Execute("UPDATE blob SET size=size+1 WHERE rid=$r", ("$r", RidOf(middle)));

        var report = Verify(useLanes);

        report.Problems.Should().ContainSingle().Which.Should().Match<VerifyProblem>(p => p.Rid == RidOf(middle) && p.Reason.Contains("size mismatch"));
        report.Verified.Should().Be(3);
        report.Problems.Should().NotContain(p => p.Rid == RidOf(leaf));
    }

    [Fact]
    public void A_public_delta_of_a_private_artifact_is_reported()
    {
        var (root, middle, _, _) = StoreChain();
        _repository.Execute("INSERT INTO private(rid) VALUES($r)", ("$r", RidOf(root)));

        var report = _repository.Verify();

        report.Problems.Should().ContainSingle().Which.Should().Match<VerifyProblem>(p => p.Rid == RidOf(middle) && p.Reason.Contains("private"));
    }
}
