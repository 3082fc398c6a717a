using System.Text;
using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Repo.Artifacts;
using FossilSync.Repo.Crosslink;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo.Crosslink;

/// <summary>
/// A received artifact found plain (not a control artifact) when its hash was checked is not
/// expanded again by the round's crosslink; that finding never outlives the row it was made
/// for; and it agrees with the parser.
/// </summary>
public sealed class PlainArrivalTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Repository _repository;

    public PlainArrivalTests() =>
        _repository = Repository.Create(_dir.File("r.fossil"), new RepositoryOptions { Random = new Random(7), InitialCheckIn = false });

    public void Dispose()
    {
        _repository.Dispose();
        _dir.Dispose();
    }

    private static string Sha3(byte[] content) => ArtifactHash.Compute(content, HashKind.Sha3_256);

    private static byte[] WithZ(string body) => Encoding.UTF8.GetBytes(ZCard.Append(body));

    [Fact]
    public void A_file_received_as_a_delta_is_not_expanded_again_to_be_crosslinked()
    {
        byte[] first = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 2000).Select(i => $"int line{i};\n")));
        byte[] second = [.. first, .. "int added;\n"u8];
        using var tx = _repository.BeginTransaction();
        long firstRid = _repository.Content.PutFull(first, Sha3(first), new StoreOptions());
        long secondRid = _repository.Content.PutDelta(Sha3(second), Sha3(first), FossilDelta.Create(first, second), new StoreOptions());
        long walked = _repository.Content.LinksWalked;
        Crosslinking.LinkNew(_repository, [firstRid, secondRid]).Should().Be(0);
        _repository.Content.LinksWalked.Should().Be(walked, "both were found plain when their hashes were checked as they arrived");
        tx.Commit();
    }

    [Fact]
    public void A_manifest_received_as_a_delta_is_still_crosslinked()
    {
        byte[] first = WithZ("C first\nD 2026-01-01T00:00:00\nU alice\n");
        byte[] second = WithZ("C second\nD 2026-01-02T00:00:00\nP " + Sha3(first) + "\nU alice\n");
        using var tx = _repository.BeginTransaction();
        long firstRid = _repository.Content.PutFull(first, Sha3(first), new StoreOptions());
        long secondRid = _repository.Content.PutDelta(Sha3(second), Sha3(first), FossilDelta.Create(first, second), new StoreOptions());
        Crosslinking.LinkNew(_repository, [firstRid, secondRid]).Should().Be(2);
        tx.Commit();
    }

    [Fact]
    public void A_plain_finding_goes_with_a_rolled_back_row_whose_rid_a_manifest_then_takes()
    {
        byte[] plain = "not an artifact\n"u8.ToArray();
        long rolledBack;
        using (_repository.BeginTransaction())
        {
            rolledBack = _repository.Content.PutFull(plain, Sha3(plain), new StoreOptions());
        }
        byte[] manifest = WithZ("C first\nD 2026-01-01T00:00:00\nU alice\n");
        using var tx = _repository.BeginTransaction();
        long rid = _repository.Content.PutFull(manifest, Sha3(manifest), new StoreOptions());
        rid.Should().Be(rolledBack, "SQLite gives the next row the rid of the rolled-back one");
        Crosslinking.LinkNew(_repository, [rid]).Should().Be(1, "the finding was about the row that is gone");
        tx.Commit();
    }

    [Theory]
    [InlineData("int main(void);\n")]
    [InlineData("")]
    [InlineData("C no final newline")]
    [InlineData("Cx not a card\n")]
    [InlineData("C short\n")]
    [InlineData("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nint x;\n-----BEGIN PGP SIGNATURE-----\n")]
    public void What_cannot_be_an_artifact_never_parses(string text)
    {
        byte[] content = Encoding.UTF8.GetBytes(text);
        ArtifactParser.CouldBeArtifact(content).Should().BeFalse();
        ArtifactParser.TryParse(content, out _, out _).Should().BeFalse();
    }

    [Fact]
    public void A_clear_signed_manifest_could_be_an_artifact()
    {
        byte[] manifest = WithZ("C signed\nD 2026-01-01T00:00:00\nU bob\n");
        byte[] signed = [.. "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"u8, .. manifest, .. "-----BEGIN PGP SIGNATURE-----\n\niQEz\n-----END PGP SIGNATURE-----\n"u8];
        ArtifactParser.CouldBeArtifact(signed).Should().BeTrue();
        ArtifactParser.TryParse(signed, out _, out _).Should().BeTrue();
    }
}
