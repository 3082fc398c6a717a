using System.Text;
using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo;

/// <summary>
/// The checker behind a clone's and a rebuild's final pass, both ways it can hash (in lanes, and
/// one artifact at a time): every name that does not match its content is reported, and one bad
/// Z card among many good ones is noticed, whatever the sizes and the order they come in.
/// </summary>
public sealed class HashCheckerTests
{
    public static TheoryData<bool> Modes => [true, false];

    [Theory]
    [MemberData(nameof(Modes))]
    public void Every_misnamed_artifact_is_reported_and_no_other(bool useLanes)
    {
        var random = new Random(7);
        var wrong = new List<string>();
        using var checker = new HashChecker(useLanes);
        for (int i = 0; i < 400; i++)
        {
            byte[] content = Bytes(random, i % 50 == 0 ? random.Next(100_000, 400_000) : random.Next(0, 5_000));
            var kind = i % 3 == 0 ? HashKind.Sha1 : HashKind.Sha3_256;
            string name = ArtifactHash.Compute(content, kind);
            if (i % 37 == 5)
            {
                // Same name, one byte of the content changed: what a damaging server sends.
                if (content.Length == 0) content = [1];
                else content[random.Next(content.Length)] ^= 0x20;
                wrong.Add(name);
            }
            checker.Add(name, content);
        }
        checker.Complete().Should().BeEquivalentTo(wrong);
        checker.ZCardFailed.Should().BeFalse();
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_run_of_large_artifacts_is_checked_side_by_side(bool useLanes)
    {
        // The versions of a file of megabytes edited in many check-ins, as a rebuild expands them.
        var random = new Random(33);
        var wrong = new List<string>();
        using var checker = new HashChecker(useLanes);
        for (int i = 0; i < 20; i++)
        {
            byte[] content = Bytes(random, random.Next(2_000_000, 4_000_000));
            string name = ArtifactHash.Compute(content, HashKind.Sha3_256);
            if (i % 7 == 2)
            {
                content[^1] ^= 0x01;
                wrong.Add(name);
            }
            checker.Add(name, content);
        }
        checker.Complete().Should().BeEquivalentTo(wrong);
    }

    [Fact]
    public async Task A_large_version_is_hashed_without_waiting_for_the_lanes_to_fill()
    {
        // One version of a file of megabytes, and the walk busy elsewhere: left waiting for seven
        // more to fill the lanes, it would hold its memory (and in a run of them the walk, stopped
        // by the room, and the lanes would take turns).
        var random = new Random(5);
        byte[] content = Bytes(random, 3_000_000);
        using var checker = new HashChecker(useLanes: true);
        checker.Add(ArtifactHash.Compute(content, HashKind.Sha3_256), content);
        await Polling.WaitUntilAsync(() => checker.HeldBytes == 0, "a large version is hashed as soon as it arrives");
        checker.HeldBytes.Should().Be(0, "a large version is hashed as soon as it arrives");
        checker.Complete().Should().BeEmpty();
    }

    [Fact]
    public void Large_versions_never_hold_more_than_the_room_the_caller_gives()
    {
        // What verify does: less room for the versions of a file of megabytes, for less memory.
        const long room = 8L * 1024 * 1024;
        var random = new Random(11);
        var versions = Enumerable.Range(0, 12).Select(_ => Bytes(random, 3_000_000)).Select(c => (Name: ArtifactHash.Compute(c, HashKind.Sha3_256), Content: c)).ToList();
        using var checker = new HashChecker(useLanes: true, largestRoom: room);
        long most = 0;
        foreach (var (name, content) in versions)
        {
            checker.Add(name, content);
            most = Math.Max(most, checker.HeldBytes);
        }
        most.Should().BeLessThanOrEqualTo(room);
        checker.Complete().Should().BeEmpty();
    }

    public static TheoryData<bool, int> LargeSizes => new()
    {
        // Large artifacts that share the lanes a few at a time, and one hashed alone.
        { true, 3_000_000 }, { false, 3_000_000 }, { true, 10_000_000 }, { false, 10_000_000 },
    };

    [Theory]
    [MemberData(nameof(LargeSizes))]
    public void A_misnamed_large_artifact_is_reported_among_small_ones(bool useLanes, int largeSize)
    {
        var random = new Random(21);
        using var checker = new HashChecker(useLanes);
        string misnamed = "";
        for (int i = 0; i < 40; i++)
        {
            byte[] content = Bytes(random, i % 10 == 3 ? largeSize : random.Next(0, 5_000));
            string name = ArtifactHash.Compute(content, HashKind.Sha3_256);
            if (i == 13)
            {
                content[random.Next(content.Length)] ^= 0x20;
                misnamed = name;
            }
            checker.Add(name, content);
        }
        checker.Complete().Should().Equal(misnamed);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Matching_z_cards_pass_signed_or_not(bool useLanes)
    {
        using var checker = new HashChecker(useLanes);
        foreach (string manifest in Manifests(new Random(3), 200)) checker.AddZCard(Encoding.UTF8.GetBytes(manifest));
        checker.AddZCard(Encoding.UTF8.GetBytes(Signed(ZCard.Append("C signed\nD 2024-01-01T00:00:00\nU bob\n"))));
        checker.AddZCard("not an artifact at all, and no Z card"u8.ToArray());
        checker.Complete().Should().BeEmpty();
        checker.ZCardFailed.Should().BeFalse();
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void One_wrong_z_card_among_many_is_noticed(bool useLanes)
    {
        var manifests = Manifests(new Random(11), 200);
        string body = manifests[123][..manifests[123].LastIndexOf("Z ", StringComparison.Ordinal)];
        manifests[123] = body + "Z " + new string('0', 32) + "\n";
        using var checker = new HashChecker(useLanes);
        foreach (string manifest in manifests) checker.AddZCard(Encoding.UTF8.GetBytes(manifest));
        checker.Complete().Should().BeEmpty();
        checker.ZCardFailed.Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_wrong_z_card_inside_a_signature_is_noticed(bool useLanes)
    {
        using var checker = new HashChecker(useLanes);
        string tampered = ZCard.Append("C signed\nD 2024-01-01T00:00:00\nU bob\n").Replace("U bob", "U eve", StringComparison.Ordinal);
        checker.AddZCard(Encoding.UTF8.GetBytes(Signed(tampered)));
        checker.Complete();
        checker.ZCardFailed.Should().BeTrue();
    }

    private static List<string> Manifests(Random random, int count)
    {
        var result = new List<string>();
        for (int i = 0; i < count; i++)
        {
            var text = new StringBuilder($"C check-in\\s{i}\nD 2024-01-01T00:00:{i % 60:D2}\n");
            // From a few lines to a few thousand: lanes finish at very different times.
            int files = i % 40 == 0 ? random.Next(2_000, 4_000) : random.Next(0, 30);
            for (int f = 0; f < files; f++) text.Append($"F src/file{f:D5}.c {Convert.ToHexStringLower(Bytes(random, 32))}\n");
            text.Append("U alice\n");
            result.Add(ZCard.Append(text.ToString()));
        }
        return result;
    }

    // A clear-signed artifact: the Z card covers only what is between the headers and the signature.
    private static string Signed(string artifact) =>
        "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" + artifact
        + "-----BEGIN PGP SIGNATURE-----\n\niQEzBAEBCAAdFiEE\n-----END PGP SIGNATURE-----\n";

    private static byte[] Bytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
