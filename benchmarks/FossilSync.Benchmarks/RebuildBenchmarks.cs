using System.Text;
using BenchmarkDotNet.Attributes;

namespace FossilSync.Benchmarks;

/// <summary>
/// <see cref="StockRebuildBenchmark"/> of a history of <see cref="CheckIns"/> check-ins on two branches.
/// </summary>
public class RebuildBenchmarks : StockRebuildBenchmark
{
    [Params(500)]
    public int CheckIns { get; set; }

    protected override string GitStream() => Stream(CheckIns, seed: 7);

    // Check-ins on two branches, each editing a line in three of twenty files.
    private static string Stream(int commits, int seed)
    {
        var random = new Random(seed);
        var stream = new StringBuilder();
        var files = new string[20];
        for (int i = 0; i < files.Length; i++) files[i] = string.Join('\n', Enumerable.Range(0, 60).Select(n => $"line {n} of file {i}")) + "\n";
        for (int c = 1; c <= commits; c++)
        {
            string branch = c > 10 && c % 7 == 0 ? "refs/heads/side" : "refs/heads/master";
            stream.Append($"commit {branch}\nmark :{c}\ncommitter dev <dev@example.com> {1_700_000_000 + c * 60} +0000\n");
            string message = $"change {c}";
            stream.Append($"data {Encoding.UTF8.GetByteCount(message)}\n{message}\n");
            if (c > 1) stream.Append($"from :{c - 1}\n");
            for (int k = 0; k < 3; k++)
            {
                int f = random.Next(files.Length);
                var lines = files[f].Split('\n').ToList();
                lines[random.Next(lines.Count - 1)] = $"edited in {c} ({random.Next()})";
                files[f] = string.Join('\n', lines);
                stream.Append($"M 100644 inline dir{f % 4}/file{f}.txt\ndata {Encoding.UTF8.GetByteCount(files[f])}\n{files[f]}\n");
            }
        }
        return stream.ToString();
    }
}
