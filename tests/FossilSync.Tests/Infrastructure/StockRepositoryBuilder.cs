using System.Text;

namespace FossilSync.Tests.Infrastructure;

/// <summary>
/// Builds repositories with real history using stock fossil itself: a seeded git fast-import
/// stream (edits of text files, a binary file, deletions, a branch and a merge) is fed to
/// <c>fossil import --git</c>, which deltifies as fossil always does.
/// </summary>
public static class StockRepositoryBuilder
{
    /// <summary>Creates <paramref name="repositoryPath"/> with <paramref name="commits"/> check-ins.</summary>
    public static void Build(string repositoryPath, int commits, int seed)
    {
        string dir = Path.GetDirectoryName(repositoryPath)!;
        byte[] stream = FastImportStream(commits, seed);
        var result = StockFossil.RunWithInput(dir, stream, "import", "--git", repositoryPath);
        if (result.ExitCode != 0) throw new InvalidOperationException($"fossil import failed: {result.Stdout}\n{result.Stderr}");
    }

    /// <summary>A deterministic fast-import stream.</summary>
    public static byte[] FastImportStream(int commits, int seed)
    {
        var random = new Random(seed);
        var output = new MemoryStream();
        var files = new Dictionary<string, List<string>>();
        var marks = new Dictionary<string, int>();   // branch → mark of its last commit
        int mark = 0;
        long time = 1_700_000_000;

        void Write(string text) => output.Write(Encoding.UTF8.GetBytes(text));
        int Blob(byte[] data)
        {
            mark++;
            Write($"blob\nmark :{mark}\ndata {data.Length}\n");
            output.Write(data);
            Write("\n");
            return mark;
        }

        for (int i = 0; i < commits; i++)
        {
            string branch = i > commits / 3 && i < 2 * commits / 3 && i % 3 == 0 ? "feature" : "trunk";
            var changes = new List<string>();
            int edits = random.Next(1, 4);
            for (int e = 0; e < edits; e++)
            {
                string name = $"src/dir{random.Next(4)}/file{random.Next(12)}.txt";
                if (!files.TryGetValue(name, out var lines))
                {
                    lines = [.. Enumerable.Range(0, random.Next(20, 120)).Select(k => $"line {k} of {name}")];
                    files[name] = lines;
                }
                for (int k = random.Next(1, 6); k > 0; k--) lines[random.Next(lines.Count)] = $"edited in commit {i}: {random.Next()}";
                if (random.Next(4) == 0) lines.Add($"appended in commit {i}");
                changes.Add($"M 100644 :{Blob(Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"))} {name}");
            }
            if (i % 7 == 3)
            {
                var binary = new byte[random.Next(2000, 9000)];
                random.NextBytes(binary);
                changes.Add($"M 100644 :{Blob(binary)} assets/blob{i % 2}.bin");
            }
            if (i % 11 == 10 && files.Count > 3)
            {
                string victim = files.Keys.OrderBy(k => k, StringComparer.Ordinal).First();
                files.Remove(victim);
                changes.Add($"D {victim}");
            }
            time += random.Next(60, 5000);
            mark++;
            string message = $"commit {i} on {branch}\n";
            Write($"commit refs/heads/{branch}\nmark :{mark}\nauthor dev <dev@example.com> {time} +0000\ncommitter dev <dev@example.com> {time} +0000\ndata {Encoding.UTF8.GetByteCount(message)}\n{message}");
            if (marks.TryGetValue(branch, out int parent)) Write($"from :{parent}\n");
            else if (branch != "trunk") Write($"from :{marks["trunk"]}\n");
            // Merge the branch back into trunk once, two thirds of the way through.
            if (branch == "trunk" && i >= 2 * commits / 3 && marks.TryGetValue("feature", out int feature) && !marks.ContainsKey("merged"))
            {
                Write($"merge :{feature}\n");
                marks["merged"] = feature;
            }
            foreach (string change in changes) Write(change + "\n");
            Write("\n");
            marks[branch] = mark;
        }
        return output.ToArray();
    }
}
