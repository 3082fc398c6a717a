using System.Diagnostics;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.EndToEnd.Generation;

/// <summary>
/// The stock-built repositories every scenario starts from, generated once per profile and
/// seed and cached under <c>/tmp/fossilsync-bench/</c> (built in a <c>.building</c> folder, then
/// renamed, so an interrupted build is never mistaken for a finished one):
/// <list type="bullet">
/// <item><c>base.fossil</c>: the profile's history, imported by <c>fossil import --git</c>;</item>
/// <item><c>ahead.fossil</c>: base plus <see cref="HistoryProfile.ExtraCommits"/> more check-ins
/// (the rest of the same stream, imported incrementally, so the project is the same);</item>
/// <item><c>clone.fossil</c>: a stock <c>fossil clone</c> of base, the client side of pull and sync;</item>
/// <item><c>clustered.fossil</c>: clone plus the extra check-ins pulled with their clusters, the
/// client of the clustered pushes (see <see cref="ClusteredClient"/>; added to older caches on first use).</item>
/// </list>
/// The admin user <c>bench</c> has password <c>bench</c> in all of them.
/// </summary>
internal sealed record BenchmarkRepositories(string Folder, string Base, string Ahead, string Cloned, string Clustered)
{
    public const string User = "bench";
    public const string Password = "bench";

    public static BenchmarkRepositories GetOrBuild(HistoryProfile profile, int seed, TextWriter log)
    {
        string root = Path.Combine(Path.GetTempPath(), "fossilsync-bench");
        string folder = Path.Combine(root, $"e2e-{profile.Name}-{seed}");
        if (!Directory.Exists(folder))
        {
            string building = folder + ".building";
            if (Directory.Exists(building)) Directory.Delete(building, recursive: true);
            Directory.CreateDirectory(building);
            var clock = Stopwatch.StartNew();
            log.WriteLine($"generating the '{profile.Name}' repositories (seed {seed}) in {building} ...");
            Build(profile, seed, building, log);
            Directory.Move(building, folder);
            log.WriteLine($"generated in {clock.Elapsed.TotalSeconds:0.0} s");
        }
        var set = new BenchmarkRepositories(folder, Path.Combine(folder, "base.fossil"), Path.Combine(folder, "ahead.fossil"),
            Path.Combine(folder, "clone.fossil"), Path.Combine(folder, ClusteredClient.FileName));
        ClusteredClient.EnsureBuilt(folder, set.Cloned, set.Ahead, set.Clustered, log);
        log.WriteLine($"repositories: {folder}");
        foreach (string line in set.Describe()) log.WriteLine("  " + line);
        return set;
    }

    /// <summary>One line per repository: artifacts, check-ins, release tags, clusters, size.</summary>
    public IEnumerable<string> Describe()
    {
        foreach (string repository in new[] { Base, Ahead, Clustered })
        {
            yield return $"{Path.GetFileName(repository)}: {Count(repository, "select count(*) from blob")} artifacts, "
                + $"{Count(repository, "select count(*) from event where type='ci'")} check-ins, "
                + $"{Count(repository, "select count(*) from tag where tagname glob 'sym-release-*'")} release tags, "
                + $"{Count(repository, "select count(*) from tagxref join tag using(tagid) where tagname='cluster'")} clusters, "
                + $"{new FileInfo(repository).Length / (1024 * 1024)} MiB";
        }
    }

    private static void Build(HistoryProfile profile, int seed, string folder, TextWriter log)
    {
        string @base = Path.Combine(folder, "base.fossil");
        string ahead = Path.Combine(folder, "ahead.fossil");
        string marks = Path.Combine(folder, "base.marks");
        string extra = Path.Combine(folder, "extra.fast-import");

        var clock = Stopwatch.StartNew();
        using (var extraStream = File.Create(extra))
        {
            StreamingFossil.Run(folder, output => new HistoryStream(profile, seed).Write(output, extraStream),
                "import", "--git", "--quiet", "--admin-user", User, "--export-marks", marks, @base);
        }
        log.WriteLine($"  base.fossil imported in {clock.Elapsed.TotalSeconds:0.0} s");
        StockFossil.Ok(folder, "user", "password", User, Password, "-R", @base);

        clock.Restart();
        File.Copy(@base, ahead);
        StreamingFossil.Run(folder, output => { using var input = File.OpenRead(extra); input.CopyTo(output); },
            "import", "--git", "--quiet", "--incremental", "--import-marks", marks, ahead);
        log.WriteLine($"  ahead.fossil imported in {clock.Elapsed.TotalSeconds:0.0} s");

        clock.Restart();
        StreamingFossil.Run(folder, _ => { }, "clone", @base, Path.Combine(folder, "clone.fossil"));
        log.WriteLine($"  clone.fossil cloned in {clock.Elapsed.TotalSeconds:0.0} s");
        File.Delete(extra);
    }

    private static string Count(string repository, string sql) =>
        StockFossil.Ok(Path.GetDirectoryName(repository)!, "sql", "-R", repository, sql).Trim();
}
