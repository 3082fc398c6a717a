using System.Text;
using BenchmarkDotNet.Attributes;
using FossilSync.Repo;
using FossilSync.Repo.Crosslink;

namespace FossilSync.Benchmarks;

/// <summary>
/// Our rebuild of the derived tables of a stock-made repository with <see cref="CheckIns"/>
/// check-ins (made by <c>fossil import --git</c> from a seeded stream; needs stock fossil).
/// </summary>
[MemoryDiagnoser]
public class RebuildBenchmarks
{
    private string _dir = "";
    private string _source = "";
    private string _copy = "";

    [Params(500)]
    public int CheckIns { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "fossilsync-bench-rebuild-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _source = Path.Combine(_dir, "source.fossil");
        _copy = Path.Combine(_dir, "copy.fossil");
        MakeRepository(_source, CheckIns, seed: 7);
    }

    [IterationSetup]
    public void Copy() => File.Copy(_source, _copy, overwrite: true);

    [Benchmark]
    public int Rebuild()
    {
        using var repository = Repository.Open(_copy);
        return Rebuilder.Run(repository);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    /// <summary>Builds a repository of <paramref name="commits"/> check-ins on two branches with stock fossil.</summary>
    public static void MakeRepository(string path, int commits, int seed)
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
        StockGitImport.Run(path, stream.ToString());
    }
}
