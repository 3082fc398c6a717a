using System.Text;

namespace FossilSync.Fuzz;

/// <summary>
/// Makes inputs from the seeds the way a fuzzer's mutator would, without coverage feedback:
/// byte flips, interesting bytes, truncations, deletions, splices between seeds, and
/// card-level edits (lines swapped or repeated, numbers replaced by boundary values, tokens
/// moved between lines). Deterministic for a given <see cref="Random"/> seed.
/// </summary>
public sealed class SeedMutator(IReadOnlyList<byte[]> seeds, Random random)
{
    private static readonly byte[] InterestingBytes = "\n \r\t0129@:,;~zZ#\\-+*"u8.ToArray().Concat(new byte[] { 0x00, 0x7F, 0x80, 0xFF }).ToArray();

    private static readonly string[] InterestingNumbers =
        ["0", "1", "-1", "65536", "268435456", "2147483647", "2147483648", "4294967295", "4294967296", "999999999999999999", "9999999999999999999"];

    /// <summary>A new input: a seed with one to five mutations.</summary>
    public byte[] Next()
    {
        byte[] input = seeds[random.Next(seeds.Count)];
        for (int n = random.Next(1, 6); n > 0; n--) input = Mutate(input);
        return input;
    }

    private byte[] Mutate(byte[] input)
    {
        if (input.Length == 0) return [InterestingBytes[random.Next(InterestingBytes.Length)]];
        int at = random.Next(input.Length);
        switch (random.Next(10))
        {
            case 0:
                return With(input, at, (byte)(input[at] ^ (1 << random.Next(8))));
            case 1:
                return With(input, at, InterestingBytes[random.Next(InterestingBytes.Length)]);
            case 2:
                return input[..at];
            case 3:
                return [.. input[..at], .. input[Math.Min(input.Length, at + random.Next(1, 64))..]];
            case 4:
            {
                byte[] other = seeds[random.Next(seeds.Count)];
                int from = random.Next(other.Length + 1);
                int length = Math.Min(other.Length - from, random.Next(1, 256));
                return [.. input[..at], .. other.AsSpan(from, length), .. input[at..]];
            }
            case 5:
            {
                byte[] other = seeds[random.Next(seeds.Count)];
                return [.. input[..at], .. other[random.Next(other.Length + 1)..]];
            }
            default:
                return MutateLines(input);
        }
    }

    // Card-level edits; Latin-1 maps every byte to one char and back.
    private byte[] MutateLines(byte[] input)
    {
        var lines = Encoding.Latin1.GetString(input).Split('\n');
        int i = random.Next(lines.Length), j = random.Next(lines.Length);
        switch (random.Next(4))
        {
            case 0:
                (lines[i], lines[j]) = (lines[j], lines[i]);
                break;
            case 1:
                lines = [.. lines[..i], lines[i], .. lines[i..]];
                break;
            case 2:
                lines[i] = ReplaceToken(lines[i], token => token.All(char.IsAsciiDigit) || random.Next(4) == 0, InterestingNumbers[random.Next(InterestingNumbers.Length)]);
                break;
            default:
                string[] donor = lines[j].Split(' ');
                lines[i] = ReplaceToken(lines[i], _ => true, donor[random.Next(donor.Length)]);
                break;
        }
        return Encoding.Latin1.GetBytes(string.Join('\n', lines));
    }

    private string ReplaceToken(string line, Func<string, bool> eligible, string replacement)
    {
        string[] tokens = line.Split(' ');
        var candidates = Enumerable.Range(0, tokens.Length).Where(k => eligible(tokens[k])).ToList();
        if (candidates.Count == 0) return line;
        tokens[candidates[random.Next(candidates.Count)]] = replacement;
        return string.Join(' ', tokens);
    }

    private static byte[] With(byte[] input, int at, byte value)
    {
        byte[] copy = (byte[])input.Clone();
        copy[at] = value;
        return copy;
    }
}
