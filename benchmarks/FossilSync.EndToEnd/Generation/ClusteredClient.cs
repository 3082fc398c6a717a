using System.Diagnostics;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.EndToEnd.Generation;

/// <summary>
/// Builds <c>clustered.fossil</c>: the client of the clustered-push scenarios. It is
/// <c>clone.fossil</c> after a stock <c>fossil pull</c> of the extra check-ins from a copy of
/// <c>ahead.fossil</c>, so it got them the way a real client does: the stock server side of that
/// pull grouped its unclustered artifacts into clusters and announced those, and the pull fetched
/// the clusters and then their members. Pushing it to a copy of <c>base.fossil</c> therefore
/// announces clusters whose members the server has never seen. The pull runs over fossil's
/// file transport (the same server code as <c>fossil server</c>), on a throw-away copy of
/// ahead, because serving a pull writes the clusters into the served repository.
/// </summary>
internal static class ClusteredClient
{
    public const string FileName = "clustered.fossil";

    /// <summary>Builds <paramref name="target"/> unless it exists (caches older than this file lack it).</summary>
    public static void EnsureBuilt(string folder, string cloned, string ahead, string target, TextWriter log)
    {
        if (File.Exists(target)) return;
        var clock = Stopwatch.StartNew();
        string upstream = Path.Combine(folder, "upstream.fossil.tmp");
        string building = target + ".building";
        File.Copy(ahead, upstream, overwrite: true);
        File.Copy(cloned, building, overwrite: true);
        StreamingFossil.Run(folder, _ => { }, "pull", upstream, "--once", "-R", building);
        File.Delete(upstream);
        File.Move(building, target);
        log.WriteLine($"  {FileName} pulled in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>The hashes of the cluster artifacts in <paramref name="repository"/>.</summary>
    public static HashSet<string> Clusters(string repository) =>
        Hashes(repository, "select uuid from blob join tagxref on tagxref.rid=blob.rid join tag using(tagid) where tagname='cluster'");

    /// <summary>The hashes of the artifacts (not phantoms) in <paramref name="repository"/>.</summary>
    public static HashSet<string> Artifacts(string repository) =>
        Hashes(repository, "select uuid from blob where size>=0");

    private static HashSet<string> Hashes(string repository, string sql)
    {
        string listing = StockFossil.Ok(Path.GetDirectoryName(repository)!, "sql", "-R", repository, sql);
        return listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Trim('\''))
            .ToHashSet(StringComparer.Ordinal);
    }
}
