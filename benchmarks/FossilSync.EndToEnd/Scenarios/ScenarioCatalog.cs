using FossilSync.EndToEnd.Generation;
using static FossilSync.EndToEnd.Scenarios.UsabilityChecks;

namespace FossilSync.EndToEnd.Scenarios;

/// <summary>
/// The comparisons, each on fresh copies of the generated repositories: clone (our client,
/// then our server, then our server under sixteen stock clones at once), incremental pull (our
/// client, then our server) and push of the extra check-ins, a no-op sync, verify and
/// rebuild, and the push of the extra check-ins with the clusters a real client holds (stock's
/// client to our server, then our client to our server), which must leave the server with every
/// artifact of the client and no phantom. Repositories without the extra check-ins (an imported
/// mirror) get only the scenarios that need none of them.
/// </summary>
internal static class ScenarioCatalog
{
    /// <summary>How many stock clients clone from one server at once in the server's load scenario.</summary>
    private const int ConcurrentClones = 16;

    public static IReadOnlyList<Scenario> Create(BenchmarkRepositories repositories, Toolchain tools, int extraCommits)
    {
        var all = Every(repositories, tools, extraCommits);
        return repositories.Ahead is null ? [.. all.Where(s => !s.Name.StartsWith("pull", StringComparison.Ordinal) && !s.Name.StartsWith("push", StringComparison.Ordinal))] : all;
    }

    private static IReadOnlyList<Scenario> Every(BenchmarkRepositories repositories, Toolchain tools, int extraCommits)
    {
        string @base = repositories.Base, ahead = repositories.Ahead ?? "", clone = repositories.Cloned, clustered = repositories.Clustered ?? "";
        var baseArtifacts = new Lazy<HashSet<string>>(() => ClusteredClient.Artifacts(@base));
        Inspection Completeness(RunContext run)
        {
            var found = ServerCompleteness.Inspect(run.Folder, run.ClientPath, run.ServerPath, baseArtifacts.Value);
            return new Inspection(found.Describe(), found.Failure);
        }
        return
        [
            new("clone: client", "fossilsync clone ← fossil server", "fossil clone ← fossil server", side => new RunPlan(
                tools.StockServer, @base, null,
                run => side == Side.Ours ? tools.Ours("clone", run.Url, run.ClientPath) : tools.Stock("clone", run.Url, run.ClientPath),
                (run, _) => All(() => TimelineWorks(run.Folder, run.ClientPath), () => HasAllArtifacts(run.Folder, run.ClientPath, run.ServerPath)))),

            new("clone: server", "fossil clone ← fossilsync serve", "fossil clone ← fossil server", side => new RunPlan(
                side == Side.Ours ? tools.OurServer : tools.StockServer, @base, null,
                run => tools.Stock("clone", run.Url, run.ClientPath),
                (run, _) => All(() => TimelineWorks(run.Folder, run.ClientPath), () => HasAllArtifacts(run.Folder, run.ClientPath, run.ServerPath)))),

            new($"clone ×{ConcurrentClones}: server", $"{ConcurrentClones} × fossil clone ← fossilsync serve", $"{ConcurrentClones} × fossil clone ← fossil server", side => new RunPlan(
                side == Side.Ours ? tools.OurServer : tools.StockServer, @base, null,
                run => tools.Stock("clone", run.Url, run.ClientPath),
                (run, _) => All(() => TimelineWorks(run.Folder, run.ClientPath), () => HasAllArtifacts(run.Folder, run.ClientPath, run.ServerPath)),
                Clients: ConcurrentClones)),

            new($"pull {extraCommits} check-ins", "fossilsync pull ← fossil server", "fossil pull ← fossil server", side => new RunPlan(
                tools.StockServer, ahead, clone,
                run => side == Side.Ours ? tools.Ours("pull", run.Url, run.ClientPath) : tools.Stock("pull", run.Url, "-R", run.ClientPath),
                (run, _) => All(() => TimelineWorks(run.Folder, run.ClientPath), () => HasAllArtifacts(run.Folder, run.ClientPath, run.ServerPath)))),

            new($"pull {extraCommits} check-ins: server", "fossil pull ← fossilsync serve", "fossil pull ← fossil server", side => new RunPlan(
                side == Side.Ours ? tools.OurServer : tools.StockServer, ahead, clone,
                run => tools.Stock("pull", run.Url, "-R", run.ClientPath),
                (run, _) => All(() => TimelineWorks(run.Folder, run.ClientPath), () => HasAllArtifacts(run.Folder, run.ClientPath, run.ServerPath)))),

            new($"push {extraCommits} check-ins", "fossilsync push → fossil server", "fossil push → fossil server", side => new RunPlan(
                tools.StockServer, @base, ahead,
                run => side == Side.Ours ? tools.Ours("push", run.AdminUrl, run.ClientPath) : tools.Stock("push", run.AdminUrl, "-R", run.ClientPath),
                (run, _) => All(() => TimelineWorks(run.Folder, run.ServerPath), () => HasAllArtifacts(run.Folder, run.ServerPath, run.ClientPath)))),

            new($"push {extraCommits} clustered: server", "fossil push → fossilsync serve", "fossil push → fossil server", side => new RunPlan(
                side == Side.Ours ? tools.OurServer : tools.StockServer, @base, clustered,
                run => tools.Stock("push", run.AdminUrl, "-R", run.ClientPath),
                (run, _) => TimelineWorks(run.Folder, run.ServerPath),
                Completeness)),

            new($"push {extraCommits} clustered: both", "fossilsync push → fossilsync serve", "fossil push → fossil server", side => new RunPlan(
                side == Side.Ours ? tools.OurServer : tools.StockServer, @base, clustered,
                run => side == Side.Ours ? tools.Ours("push", run.AdminUrl, run.ClientPath) : tools.Stock("push", run.AdminUrl, "-R", run.ClientPath),
                (run, _) => TimelineWorks(run.Folder, run.ServerPath),
                Completeness)),

            new("sync, nothing new", "fossilsync sync ↔ fossil server", "fossil sync ↔ fossil server", side => new RunPlan(
                tools.StockServer, @base, clone,
                run => side == Side.Ours ? tools.Ours("sync", run.AdminUrl, run.ClientPath) : tools.Stock("sync", run.AdminUrl, "-R", run.ClientPath),
                (run, _) => HasAllArtifacts(run.Folder, run.ClientPath, run.ServerPath))),

            new("verify", "fossilsync verify", "fossil test-integrity", side => new RunPlan(
                null, null, @base,
                run => side == Side.Ours ? tools.Ours("verify", run.ClientPath) : tools.Stock("test-integrity", "-R", run.ClientPath),
                (_, stdout) => side == Side.Ours ? null : IntegrityReportOk(stdout))),

            new("rebuild", "fossilsync rebuild", "fossil rebuild", side => new RunPlan(
                null, null, @base,
                run => side == Side.Ours ? tools.Ours("rebuild", run.ClientPath) : tools.Stock("rebuild", run.ClientPath),
                (run, _) => TimelineWorks(run.Folder, run.ClientPath))),
        ];
    }
}
