using System.Text;

namespace FossilSync.Benchmarks;

/// <summary>Seeded source/target pairs shaped like real edits.</summary>
internal static class SampleData
{
    public static (byte[] Source, byte[] Target) TextPair(int length, int seed)
    {
        var random = new Random(seed);
        var sb = new StringBuilder(length + 100);
        while (sb.Length < length) sb.Append("    line ").Append(random.Next(100000)).Append(" of a source file, with some code-like text;\n");
        byte[] source = Encoding.ASCII.GetBytes(sb.ToString(0, length));
        return (source, Edit(source, random, edits: Math.Max(4, length / 20000)));
    }

    public static (byte[] Source, byte[] Target) BinaryPair(int length, int seed)
    {
        var random = new Random(seed);
        byte[] source = new byte[length];
        random.NextBytes(source);
        return (source, Edit(source, random, edits: 50));
    }

    private static byte[] Edit(byte[] source, Random random, int edits)
    {
        var target = new List<byte>(source);
        for (int e = 0; e < edits; e++)
        {
            int at = random.Next(target.Count);
            byte[] insert = new byte[random.Next(1, 64)];
            random.NextBytes(insert);
            target.RemoveRange(at, Math.Min(random.Next(0, 64), target.Count - at));
            target.InsertRange(at, insert);
        }
        return [.. target];
    }
}
