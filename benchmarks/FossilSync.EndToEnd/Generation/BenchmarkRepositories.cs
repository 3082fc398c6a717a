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
/// A profile with <see cref="HistoryProfile.Extras"/> gets its wiki pages and tickets in base
/// (so in all four). The <see cref="HistoryProfile.Mirror"/> profile is imported from a git mirror
/// of a real project instead (<see cref="GetOrBuildMirror"/>) and has only base and clone.
/// The admin user <c>bench</c> has password <c>bench</c> in all of them.
/// </summary>
internal sealed record BenchmarkRepositories(string Folder, string Base, string? Ahead, string Cloned, string? Clustered)
{
    public const string User = "bench";
    public const string Password = "bench";

    public static BenchmarkRepositories GetOrBuild(HistoryProfile profile, int seed, TextWriter log)
    {
        string folder = Path.Combine(CacheRoot, $"e2e-{profile.Name}-{seed}");
        BuildOnce(folder, $"the '{profile.Name}' repositories (seed {seed})", building => Build(profile, seed, building, log), log);
        var set = new BenchmarkRepositories(folder, Path.Combine(folder, "base.fossil"), Path.Combine(folder, "ahead.fossil"),
            Path.Combine(folder, "clone.fossil"), Path.Combine(folder, ClusteredClient.FileName));
        ClusteredClient.EnsureBuilt(folder, set.Cloned, set.Ahead!, set.Clustered!, log);
        return set.Announce(log);
    }

    /// <summary>
    /// The <see cref="HistoryProfile.Mirror"/> repositories: base imported from the bare git mirror
    /// in <paramref name="gitFolder"/> (see <see cref="MirrorImport"/>) and its stock clone, cached
    /// under the mirror's folder name; null, after saying why, when neither the cache nor the mirror exists.
    /// </summary>
    public static BenchmarkRepositories? GetOrBuildMirror(string gitFolder, TextWriter log)
    {
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(gitFolder)) is "repo" or ".git"
            ? Path.GetFileName(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(gitFolder)))!
            : Path.GetFileName(Path.TrimEndingDirectorySeparator(gitFolder));
        // fossil clone reads a '+' in a path as a URL's space: keep the cache folder's name plain.
        string folder = Path.Combine(CacheRoot, $"e2e-mirror-{name.Replace('+', '-')}");
        if (!Directory.Exists(folder) && !Directory.Exists(gitFolder))
        {
            log.WriteLine($"the 'mirror' profile is not available: no cached {folder} and no git mirror at {gitFolder} "
                + "(bring one, e.g. of github.com/drhsqlite/fossil-mirror, and pass --mirror DIR); skipped");
            return null;
        }
        BuildOnce(folder, $"the 'mirror' repositories from {gitFolder}", building =>
        {
            string @base = Path.Combine(building, "base.fossil");
            MirrorImport.Import(gitFolder, @base, log);
            StockFossil.Ok(building, "user", "password", User, Password, "-R", @base);
            var clock = Stopwatch.StartNew();
            StreamingFossil.Run(building, _ => { }, "clone", @base, Path.Combine(building, "clone.fossil"));
            log.WriteLine($"  clone.fossil cloned in {clock.Elapsed.TotalSeconds:0.0} s");
        }, log);
        return new BenchmarkRepositories(folder, Path.Combine(folder, "base.fossil"), null, Path.Combine(folder, "clone.fossil"), null).Announce(log);
    }

    private static string CacheRoot => Path.Combine(Path.GetTempPath(), "fossilsync-bench");

    private static void BuildOnce(string folder, string what, Action<string> build, TextWriter log)
    {
        if (Directory.Exists(folder)) return;
        string building = folder + ".building";
        if (Directory.Exists(building)) Directory.Delete(building, recursive: true);
        Directory.CreateDirectory(building);
        var clock = Stopwatch.StartNew();
        log.WriteLine($"generating {what} in {building} ...");
        build(building);
        Directory.Move(building, folder);
        log.WriteLine($"generated in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private BenchmarkRepositories Announce(TextWriter log)
    {
        log.WriteLine($"repositories: {Folder}");
        foreach (string line in Describe()) log.WriteLine("  " + line);
        return this;
    }

    /// <summary>
    /// One line per repository: artifacts, check-ins, branches, tags, wiki and ticket changes,
    /// clusters, deltas and the deepest delta chain, the expanded size (all artifacts in full),
    /// the stored size (their compressed content as kept) and the file's size.
    /// </summary>
    public IEnumerable<string> Describe()
    {
        foreach (string? repository in new[] { Base, Ahead, Cloned, Clustered })
        {
            if (repository is null) continue;
            string counts = StockFossil.Ok(Path.GetDirectoryName(repository)!, "sql", "-R", repository, Summary).Trim().Trim('\'');
            yield return $"{Path.GetFileName(repository)}: {counts}, file {new FileInfo(repository).Length / (1024.0 * 1024):0.0} MiB";
        }
    }

    private const string Summary = """
        with recursive chain(rid, depth) as (
            select rid, 0 from blob where rid not in (select rid from delta)
            union all select delta.rid, chain.depth + 1 from delta join chain on delta.srcid = chain.rid)
        select printf('%d artifacts, %d check-ins, %d branches, %d tags (%d release), %d wiki versions of %d pages, %d ticket changes of %d tickets, '
            || '%d clusters, %d deltas (chains up to %d deep), expanded %.1f MiB, stored %.1f MiB',
            (select count(*) from blob), (select count(*) from event where type = 'ci'),
            (select count(distinct value) from tagxref where tagid = (select tagid from tag where tagname = 'branch')),
            (select count(*) from tag where tagname glob 'sym-*'), (select count(*) from tag where tagname glob 'sym-release-*'),
            (select count(*) from event where type = 'w'), (select count(*) from tag where tagname glob 'wiki-*'),
            (select count(*) from event where type = 't'), (select count(*) from tag where tagname glob 'tkt-*'),
            (select count(*) from tagxref join tag using(tagid) where tagname = 'cluster'),
            (select count(*) from delta), (select max(depth) from chain),
            (select sum(size) from blob where size >= 0) / 1048576.0, (select sum(length(content)) from blob) / 1048576.0)
        """;

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
        if (profile.Extras is { } extras) WikiAndTickets.Add(@base, extras, seed, log);

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
}
