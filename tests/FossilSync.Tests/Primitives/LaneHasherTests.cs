using System.Security.Cryptography;
using FossilSync.Primitives;

namespace FossilSync.Tests.Primitives;

/// <summary>
/// The lane hashers against the platform's one-message SHA3-256 and MD5 (OpenSSL), over every
/// length around the block and padding boundaries, and with messages starting in lanes that
/// other messages are midway through.
/// </summary>
public sealed class LaneHasherTests
{
    public static TheoryData<string> Algorithms => ["sha3", "md5"];

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Every_length_up_to_five_blocks_matches_the_one_message_digest(string algorithm)
    {
        var random = new Random(17);
        var messages = Enumerable.Range(0, 700).Select(n => RandomBytes(random, n)).ToList();
        HashAll(algorithm, messages, startEvery: 1).Should().Equal(messages.Select(m => Reference(algorithm, m)));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Messages_joining_busy_lanes_at_any_point_still_match(string algorithm)
    {
        // Long and short messages mixed, one new message every few steps: each lane is at a
        // different offset of a different message whenever another one starts.
        var random = new Random(42);
        var messages = Enumerable.Range(0, 120)
            .Select(i => RandomBytes(random, i % 7 == 0 ? random.Next(20_000, 300_000) : random.Next(0, 3_000)))
            .ToList();
        HashAll(algorithm, messages, startEvery: 3).Should().Equal(messages.Select(m => Reference(algorithm, m)));
    }

    [Fact]
    public void A_slice_of_a_larger_buffer_hashes_only_the_slice()
    {
        // The Z-card check hashes a manifest without its last line.
        byte[] buffer = RandomBytes(new Random(5), 1_000);
        var hasher = new Md5Lanes<int>();
        var finished = new List<(int Tag, byte[] Digest)>();
        hasher.Start(buffer.AsMemory(3, 900), 0);
        while (!hasher.IsIdle) hasher.Step(finished);
        finished.Single().Digest.Should().Equal(MD5.HashData(buffer.AsSpan(3, 900)));
    }

    [Fact]
    public void Starting_in_a_full_hasher_is_refused()
    {
        var hasher = new Sha3Lanes<int>();
        for (int i = 0; hasher.HasFreeLane; i++) hasher.Start(new byte[10], i);
        var start = () => hasher.Start(new byte[10], 99);
        start.Should().Throw<InvalidOperationException>();
    }

    private static List<string> HashAll(string algorithm, List<byte[]> messages, int startEvery)
    {
        LaneHasher<int> hasher = algorithm == "sha3" ? new Sha3Lanes<int>() : new Md5Lanes<int>();
        var digests = new byte[messages.Count][];
        var finished = new List<(int Tag, byte[] Digest)>();
        int next = 0;
        for (int step = 0; next < messages.Count || !hasher.IsIdle; step++)
        {
            if (step % startEvery == 0)
            {
                while (hasher.HasFreeLane && next < messages.Count) hasher.Start(messages[next], next++);
            }
            hasher.Step(finished);
            foreach (var (tag, digest) in finished) digests[tag] = digest;
            finished.Clear();
        }
        return [.. digests.Select(Convert.ToHexString)];
    }

    private static string Reference(string algorithm, byte[] message) =>
        Convert.ToHexString(algorithm == "sha3" ? SHA3_256.HashData(message) : MD5.HashData(message));

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void The_lane_transpose_puts_word_c_of_row_r_at_word_r_of_row_c_both_ways()
    {
        var random = new Random(9);
        var rows = new System.Runtime.Intrinsics.Vector512<uint>[16];
        var words = System.Runtime.InteropServices.MemoryMarshal.Cast<System.Runtime.Intrinsics.Vector512<uint>, uint>(rows.AsSpan());
        for (int i = 0; i < words.Length; i++) words[i] = (uint)random.Next();
        var fast = new System.Runtime.Intrinsics.Vector512<uint>[16];
        var portable = new System.Runtime.Intrinsics.Vector512<uint>[16];
        LaneTranspose.Transpose16(rows, fast);
        LaneTranspose.Transpose16Portable(rows, portable);
        for (int r = 0; r < 16; r++)
        {
            for (int c = 0; c < 16; c++)
            {
                fast[c][r].Should().Be(rows[r][c]);
                portable[c][r].Should().Be(rows[r][c]);
            }
        }
    }
}
