using FossilSync.Tests.Infrastructure;

namespace FossilSync.Benchmarks;

/// <summary>
/// Stock-built repositories for benchmarks, generated once (seeded) with <c>fossil import</c>
/// and cached under the temp folder, since building a large one takes minutes.
/// </summary>
public static class BenchmarkRepositories
{
    /// <summary>Path of a cached repository with <paramref name="commits"/> check-ins.</summary>
    public static string Get(int commits)
    {
        string dir = Path.Combine(Path.GetTempPath(), "fossilsync-bench");
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, $"history-{commits}.fossil");
        if (!File.Exists(path))
        {
            string building = path + ".building";
            File.Delete(building);
            StockRepositoryBuilder.Build(building, commits, seed: 2026);
            File.Move(building, path);
        }
        return path;
    }
}
