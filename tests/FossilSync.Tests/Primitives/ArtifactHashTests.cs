using System.Text;
using FossilSync.Primitives;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Primitives;

public sealed class ArtifactHashTests
{
    [Fact]
    public void Sha1_and_sha3_names_match_known_vectors()
    {
        byte[] abc = Encoding.ASCII.GetBytes("abc");
        ArtifactHash.Compute(abc, HashKind.Sha1).Should().Be("a9993e364706816aba3e25717850c26c9cd0d89d");
        ArtifactHash.Compute(abc, HashKind.Sha3_256).Should().Be("3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
    }

    [Fact]
    public void Name_from_a_real_capture_matches_its_payload()
    {
        // captures/sync-pull: "file 8b52607f… 32" carries this 32-byte full text.
        string reply = File.ReadAllText(TestCaptures.Capture("sync-pull/02-reply.txt"), Encoding.Latin1);
        int at = reply.IndexOf("file 8b52607f", StringComparison.Ordinal);
        string line = reply[at..reply.IndexOf('\n', at)];
        string[] tokens = line.Split(' ');
        int size = int.Parse(tokens[2]);
        byte[] payload = Encoding.Latin1.GetBytes(reply.Substring(reply.IndexOf('\n', at) + 1, size));
        ArtifactHash.Matches(tokens[1], payload).Should().BeTrue();
    }

    [Theory]
    [InlineData("a9993e364706816aba3e25717850c26c9cd0d89d", true)]
    [InlineData("A9993E364706816ABA3E25717850C26C9CD0D89D", false)]
    [InlineData("a9993e364706816aba3e25717850c26c9cd0d89", false)]
    [InlineData("g9993e364706816aba3e25717850c26c9cd0d89d", false)]
    [InlineData("3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532", true)]
    [InlineData("", false)]
    public void Only_lowercase_40_or_64_hex_names_are_valid(string name, bool valid)
    {
        ArtifactHash.IsValid(name).Should().Be(valid);
        ArtifactHash.IsValid(Encoding.ASCII.GetBytes(name)).Should().Be(valid);
    }

    [Fact]
    public void Verify_rejects_content_that_hashes_to_another_name()
    {
        var act = () => ArtifactHash.Verify("a9993e364706816aba3e25717850c26c9cd0d89d", "abd"u8);
        act.Should().Throw<CorruptContentException>().WithMessage("*a9993e36*");
        ArtifactHash.Verify("a9993e364706816aba3e25717850c26c9cd0d89d", "abc"u8);
    }

    [Theory]
    [InlineData(HashPolicy.Sha1, HashKind.Sha1)]
    [InlineData(HashPolicy.Auto, HashKind.Sha1)]
    [InlineData(HashPolicy.Sha3, HashKind.Sha3_256)]
    [InlineData(HashPolicy.Sha3Only, HashKind.Sha3_256)]
    public void Policy_chooses_the_algorithm_for_new_artifacts(HashPolicy policy, HashKind kind) =>
        ArtifactHash.KindForNewArtifacts(policy).Should().Be(kind);
}
