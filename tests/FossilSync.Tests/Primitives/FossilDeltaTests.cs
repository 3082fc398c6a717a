using System.Text;
using CsCheck;
using FossilSync.Primitives;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Primitives;

public sealed class FossilDeltaTests
{
    public static TheoryData<string> CorpusNames => new(Corpus.Keys);

    // Each case is a (source, target) pair; every one is checked against stock fossil.
    private static readonly Dictionary<string, Func<(byte[] Source, byte[] Target)>> Corpus = new()
    {
        ["both empty"] = () => ([], []),
        ["empty source"] = () => ([], Text(1, 300)),
        ["empty target"] = () => (Text(2, 300), []),
        ["identical"] = () => { byte[] t = Text(3, 5000); return (t, t); },
        ["source of 16 bytes"] = () => (Encoding.ASCII.GetBytes("0123456789abcdef"), Text(4, 200)),
        ["source of 17 bytes"] = () => (Encoding.ASCII.GetBytes("0123456789abcdefg"), Encoding.ASCII.GetBytes("0123456789abcdefg and more")),
        ["small text edits"] = () => { byte[] s = Text(5, 20000); return (s, Edit(s, 6, 25)); },
        ["appended"] = () => { byte[] s = Text(7, 3000); return (s, [.. s, .. Text(8, 500)]); },
        ["prepended"] = () => { byte[] s = Text(9, 3000); return (s, [.. Text(10, 500), .. s]); },
        ["binary with high bytes and edits"] = () => { byte[] s = Random(11, 50000); return (s, Edit(s, 12, 40)); },
        ["unrelated random"] = () => (Random(13, 4000), Random(14, 4000)),
        ["repetitive"] = () => (Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("abcdefgh", 2000))), Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("abcdefgX", 2100)))),
    };

    [Theory]
    [MemberData(nameof(CorpusNames))]
    public void Deltas_are_byte_identical_to_stock_fossil_and_apply_both_ways(string name)
    {
        var (source, target) = Corpus[name]();
        AssertInteroperable(source, target);
    }

    [Fact]
    public void A_large_binary_pair_over_ten_megabytes_matches_stock_fossil()
    {
        byte[] source = Random(21, 11 * 1024 * 1024);
        AssertInteroperable(source, Edit(source, 22, 200));
    }

    [Fact]
    public void Reproduces_the_delta_from_the_protocol_reference_capture()
    {
        // captures/sync-push: "file 24256828… b075ad82… 38" is this delta of a.txt.
        byte[] delta = Encoding.ASCII.GetBytes("b5\nJQ@0,G:CHANGED IN CLONEIR@KF,WIsZO;");
        // "b5" = 38*64+5; copies JQ=1242 bytes, inserts 16, copies IR=1179 bytes from KF=1295.
        FossilDelta.GetTargetLength(delta).Should().Be(2437);
        var tooShort = () => FossilDelta.Apply(new byte[2473], delta);
        tooShort.Should().Throw<CorruptContentException>().WithMessage("*past the end of the 2473-byte source*");
        // With a source long enough, every command applies and only the checksum (of the real
        // a.txt, which a zero-filled source is not) can fail.
        var wrongSource = () => FossilDelta.Apply(new byte[2474], delta);
        wrongSource.Should().Throw<CorruptContentException>().WithMessage("*checksum mismatch*");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Random_edits_round_trip(int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < 60; i++)
        {
            byte[] source = random.Next(2) == 0 ? Random(random.Next(), random.Next(0, 3000)) : Text(random.Next(), random.Next(0, 3000));
            byte[] target = Edit(source, random.Next(), random.Next(0, 20));
            byte[] delta = FossilDelta.Create(source, target);
            FossilDelta.Apply(source, delta).Should().Equal(target);
        }
    }

    [Fact]
    public void Damaged_deltas_only_ever_throw_the_typed_exception()
    {
        var random = new Random(99);
        byte[] source = Text(1, 4000);
        byte[] delta = FossilDelta.Create(source, Edit(source, 2, 10));
        for (int i = 0; i < 3000; i++)
        {
            byte[] damaged = (byte[])delta.Clone();
            switch (i % 3)
            {
                case 0: damaged[random.Next(damaged.Length)] = (byte)random.Next(256); break;
                case 1: damaged = damaged[..random.Next(damaged.Length)]; break;
                default: damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8)); break;
            }
            try
            {
                FossilDelta.Apply(source, damaged).Length.Should().Be(FossilDelta.GetTargetLength(damaged));
            }
            catch (CorruptContentException)
            {
            }
        }
    }

    [Theory]
    [InlineData("5\n5@0,", "without its ';'")]
    [InlineData("5\n9@0,0;", "exceeds the target size")]
    [InlineData("5\n5@8,0;", "past the end")]
    [InlineData("5\n5:abc", "past the end of the delta")]
    [InlineData("5\n5@0;", "followed by ','")]
    [InlineData("5\n5@0,1;", "checksum mismatch")]
    [InlineData("5\n3@0,1;", "produced 3 bytes")]
    [InlineData("5 ", "target size")]
    [InlineData("zzzzzzzz\n", "target size")]
    [InlineData("5\n5?0,", "unknown command")]
    [InlineData("5\n\u00b05@0,", "expected a count")]
    public void Malformed_deltas_are_rejected_with_a_clear_reason(string delta, string reason)
    {
        var act = () => FossilDelta.Apply("0123456789"u8, Encoding.Latin1.GetBytes(delta));
        act.Should().Throw<CorruptContentException>().WithMessage($"*{reason}*");
    }

    [Fact]
    public void A_delta_declaring_a_target_it_cannot_produce_is_refused_without_allocating_it()
    {
        // Found by fuzzing (tests/FossilSync.Fuzz, delta target): the header's size was
        // allocated before any command was read, so a few bytes could claim up to 2 GiB.
        byte[] delta = "40000\n3@0,0;"u8.ToArray();   // declares 64 MiB, produces 3 bytes
        FossilDelta.GetTargetLength(delta).Should().Be(64 << 20);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var act = () => FossilDelta.Apply("abc"u8, delta);
        act.Should().Throw<CorruptContentException>().WithMessage("*produced 3 bytes*");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1 << 20);
    }

    [Fact]
    public void A_target_much_larger_than_source_and_delta_still_applies()
    {
        // Repeated copies: the case in which the commands are checked before allocating.
        byte[] source = "0123456789"u8.ToArray();
        byte[] target = Enumerable.Repeat(source, 5000).SelectMany(b => b).ToArray();
        var delta = new List<byte>();
        Span<byte> digits = stackalloc byte[DeltaFormat.MaxIntegerDigits];
        delta.AddRange(digits[..DeltaFormat.WriteInteger((uint)target.Length, digits)]);
        delta.Add((byte)'\n');
        for (int i = 0; i < 5000; i++) delta.AddRange("A@0,"u8.ToArray());   // copy 10 bytes from 0
        delta.AddRange(digits[..DeltaFormat.WriteInteger(DeltaFormat.Checksum(target), digits)]);
        delta.Add((byte)';');
        FossilDelta.Apply(source, delta.ToArray()).Should().Equal(target);
        FossilDelta.Apply(source, delta.ToArray(), verifyChecksum: false).Should().Equal(target);
    }

    [Theory]
    [InlineData(0u, 1)]
    [InlineData(63u, 1)]
    [InlineData(64u, 2)]
    [InlineData(4_095u, 2)]
    [InlineData(4_096u, 3)]
    [InlineData(16_777_215u, 4)]
    [InlineData(16_777_216u, 5)]
    [InlineData(1_073_741_823u, 5)]
    [InlineData(1_073_741_824u, 6)]
    [InlineData(uint.MaxValue, 6)]
    public void An_integer_takes_one_base64_digit_per_six_bits(uint value, int digits) =>
        DeltaFormat.DigitCount(value).Should().Be(digits);

    [Fact]
    public void Every_integer_takes_as_many_digits_as_dividing_it_by_64_takes_steps()
    {
        static int Steps(uint value)
        {
            int count = 1;
            while ((value >>= 6) != 0) count++;
            return count;
        }
        Gen.UInt.Sample(value => DeltaFormat.DigitCount(value) == Steps(value), iter: 100_000, seed: "0000000A0DC0");
    }

    [Fact]
    public void Checksum_sums_big_endian_words_with_a_zero_padded_tail()
    {
        DeltaFormat.Checksum([]).Should().Be(0);
        DeltaFormat.Checksum([1, 2, 3, 4, 5]).Should().Be(0x01020304u + 0x05000000u);
        DeltaFormat.Checksum([0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 2]).Should().Be(1);
    }

    [Fact]
    public void Checksum_of_long_content_equals_the_word_by_word_sum()
    {
        // Long inputs take the vectorised path; every length around its 32-byte steps and
        // the 64-byte threshold must agree with the plain definition.
        var random = new Random(2026);
        foreach (int length in Enumerable.Range(0, 200).Concat([1023, 1024, 1025, 65_537]))
        {
            var content = new byte[length];
            random.NextBytes(content);
            uint expected = 0;
            for (int i = 0; i < length; i += 4)
            {
                for (int k = 0; k < 4; k++) expected += i + k < length ? (uint)content[i + k] << (24 - 8 * k) : 0;
            }
            DeltaFormat.Checksum(content).Should().Be(expected, $"length {length}");
        }
    }

    [Fact]
    public void A_delta_is_the_same_whatever_was_encoded_before_it_on_the_thread()
    {
        // The encoder's tables are rented: a larger pair of the same size class leaves its
        // entries behind in the arrays the smaller one gets next.
        byte[] source = Text(30, 20000), target = Edit(source, 31, 30);
        byte[] larger = Text(32, 30000), largerTarget = Edit(larger, 33, 30);
        byte[] first = FossilDelta.Create(source, target);
        FossilDelta.Create(larger, largerTarget);
        byte[] again = FossilDelta.Create(source, target);
        again.Should().Equal(first);
        FossilDelta.Apply(source, again).Should().Equal(target);
    }

    private static void AssertInteroperable(byte[] source, byte[] target)
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("source"), source);
        File.WriteAllBytes(dir.File("target"), target);
        StockFossil.Ok(dir.Path, "test-delta-create", dir.File("source"), dir.File("target"), dir.File("stock.delta"));
        byte[] stockDelta = File.ReadAllBytes(dir.File("stock.delta"));

        byte[] ours = FossilDelta.Create(source, target);
        ours.Should().Equal(stockDelta, "our delta must be byte-identical to fossil's");
        FossilDelta.Apply(source, stockDelta).Should().Equal(target);

        File.WriteAllBytes(dir.File("ours.delta"), ours);
        StockFossil.Ok(dir.Path, "test-delta-apply", dir.File("source"), dir.File("ours.delta"), dir.File("applied"));
        File.ReadAllBytes(dir.File("applied")).Should().Equal(target);
    }

    private static byte[] Random(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static byte[] Text(int seed, int length)
    {
        var random = new Random(seed);
        var sb = new StringBuilder(length + 80);
        while (sb.Length < length) sb.Append("line ").Append(random.Next(1000)).Append(" of some source text\n");
        return Encoding.ASCII.GetBytes(sb.ToString(0, length));
    }

    // Replaces, inserts and deletes short runs at seeded places.
    private static byte[] Edit(byte[] source, int seed, int edits)
    {
        var random = new Random(seed);
        var result = new List<byte>(source);
        for (int e = 0; e < edits; e++)
        {
            int at = random.Next(result.Count + 1);
            int run = random.Next(1, 40);
            switch (random.Next(3))
            {
                case 0: result.InsertRange(at, Random(random.Next(), run)); break;
                case 1: result.RemoveRange(at, Math.Min(run, result.Count - at)); break;
                default:
                    for (int k = at; k < Math.Min(at + run, result.Count); k++) result[k] = (byte)random.Next(256);
                    break;
            }
        }
        return [.. result];
    }
}
