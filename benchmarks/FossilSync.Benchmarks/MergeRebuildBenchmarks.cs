using System.Text;
using BenchmarkDotNet.Attributes;

namespace FossilSync.Benchmarks;

/// <summary>
/// <see cref="StockRebuildBenchmark"/> of a history where branches that touch many files are
/// merged back. A merge's file rows against its merge parent are where the crosslink of a real
/// project's history spent most of its SQLite time.
/// </summary>
public class MergeRebuildBenchmarks : StockRebuildBenchmark
{
    private const int Files = 400;
    private const int FilesPerBranch = 300;
    private const int TrunkCheckInsPerMerge = 10;

    [Params(30)]
    public int Merges { get; set; }

    protected override string GitStream() => Stream(Merges, new Random(11));

    // Trunk edits one file per check-in; each branch starts from trunk, edits most files in
    // one check-in and is merged back after some more trunk check-ins.
    private static string Stream(int merges, Random random)
    {
        var stream = new StringBuilder();
        var files = new string[Files];
        for (int i = 0; i < files.Length; i++) files[i] = string.Join('\n', Enumerable.Range(0, 20).Select(n => $"line {n} of file {i}")) + "\n";
        int mark = 0, time = 1_700_000_000;
        void Commit(string branch, int? from, int? merge, IEnumerable<int> edited)
        {
            mark++;
            time += 60;
            stream.Append($"commit refs/heads/{branch}\nmark :{mark}\ncommitter dev <dev@example.com> {time} +0000\n");
            string message = $"check-in {mark}";
            stream.Append($"data {Encoding.UTF8.GetByteCount(message)}\n{message}\n");
            if (from is int f) stream.Append($"from :{f}\n");
            if (merge is int m) stream.Append($"merge :{m}\n");
            foreach (int file in edited)
            {
                files[file] += $"edited in {mark} ({random.Next()})\n";
                stream.Append($"M 100644 inline dir{file % 8}/file{file}.txt\ndata {Encoding.UTF8.GetByteCount(files[file])}\n{files[file]}\n");
            }
        }
        Commit("master", null, null, Enumerable.Range(0, Files));
        int trunk = mark;
        for (int i = 0; i < merges; i++)
        {
            var edited = Enumerable.Range(0, Files).OrderBy(_ => random.Next()).Take(FilesPerBranch).ToList();
            Commit($"branch{i}", trunk, null, edited);
            int branch = mark;
            Commit("master", trunk, null, [random.Next(Files)]);
            for (int t = 1; t < TrunkCheckInsPerMerge; t++) Commit("master", mark, null, [random.Next(Files)]);
            // The merge brings the branch's files in (each with one more line, as merges resolve).
            Commit("master", mark, branch, edited);
            trunk = mark;
        }
        return stream.ToString();
    }
}
