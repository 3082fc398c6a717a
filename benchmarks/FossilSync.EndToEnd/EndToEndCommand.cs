using System.Globalization;
using FossilSync.EndToEnd.Generation;
using FossilSync.EndToEnd.Hostile;
using FossilSync.EndToEnd.Load;
using FossilSync.EndToEnd.Results;
using FossilSync.EndToEnd.Scenarios;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.EndToEnd;

/// <summary>
/// <c>FossilSync.EndToEnd [--size small|large|real|real-full|mirror] [--mirror GIT-DIR] [--reps N] [--out DIR] [--seed S] [--generate-only] [--jit] [--cli-dir DIR] [--prebuilt]
/// [--only scenarios|load|bombs] [--load-clients N] [--load-seconds S] [--scenario TEXT]...</c>: builds the CLI, generates
/// (or reuses) the repositories, runs every (or every selected) scenario's two sides N times, then the no-op sync
/// load against each server, alternating which goes first, and writes <c>e2e-results.md</c>
/// and <c>e2e-results.csv</c>. <c>--only bombs</c> runs <see cref="BombBenchmark"/> instead.
/// </summary>
internal static class EndToEndCommand
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan LoadWarmUp = TimeSpan.FromSeconds(2);

    public static async Task<int> RunAsync(string[] args)
    {
        EndToEndOptions? options;
        try
        {
            options = EndToEndOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            options = null;
        }
        if (options is null)
        {
            Console.Error.WriteLine(EndToEndOptions.Usage);
            return 2;
        }
        Environment.SetEnvironmentVariable("USER", BenchmarkRepositories.User);
        string loadAtStart = MachineLoad();
        if (options.RunBombs) return await BombBenchmark.RunAsync(options);
        var repositories = options.Profile == HistoryProfile.Mirror
            ? BenchmarkRepositories.GetOrBuildMirror(options.MirrorGitFolder, Console.Out)
            : BenchmarkRepositories.GetOrBuild(options.Profile, options.Seed, Console.Out);
        if (repositories is null || options.GenerateOnly) return 0;

        string root = SourceTree.FindRoot() ?? throw new InvalidOperationException("run this from inside the FossilSync checkout");
        var tools = Toolchain.Build(root, native: !options.Jit, options.CliFolder, Console.Out, options.Prebuilt);
        IReadOnlyList<Scenario> scenarios = options.RunScenarios
            ? [.. ScenarioCatalog.Create(repositories, tools, options.Profile.ExtraCommits).Where(s => options.Selects(s.Name))]
            : [];
        string workRoot = Path.Combine(Path.GetTempPath(), "fossilsync-e2e-runs");
        var runner = new ScenarioRunner(workRoot, CommandTimeout);
        var loadSettings = new LoadSettings(options.LoadClients, LoadWarmUp, TimeSpan.FromSeconds(options.LoadSeconds));
        LoadRunner? loadRunner = null;
        NoOpSync? noOpSync = null;
        string? captureFailure = null;
        if (options.RunLoad)
        {
            try
            {
                noOpSync = await NoOpSync.CaptureAsync(repositories, tools, Path.Combine(workRoot, "load-capture"));
                Console.WriteLine($"recorded the no-op sync stock fossil sends: {noOpSync.Describe()}");
                loadRunner = new LoadRunner(workRoot, repositories, tools, noOpSync, loadSettings);
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException)
            {
                captureFailure = ex.Message;
                Console.WriteLine($"the load test cannot run: {captureFailure}");
            }
        }

        var results = new List<RunResult>();
        var loadResults = new List<LoadResult>();
        for (int rep = 1; rep <= options.Repetitions; rep++)
        {
            Side[] order = rep % 2 == 1 ? [Side.Ours, Side.Stock] : [Side.Stock, Side.Ours];
            foreach (var scenario in scenarios)
            {
                foreach (var side in order)
                {
                    var result = await runner.RunAsync(scenario, side, rep);
                    results.Add(result);
                    Console.WriteLine(Progress(result));
                }
            }
            if (loadRunner is null) continue;
            foreach (var side in order)
            {
                var result = await loadRunner.RunAsync(side, rep);
                loadResults.Add(result);
                Console.WriteLine(Progress(result, loadSettings.Clients));
            }
        }

        var preamble = new List<string>
        {
            $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores (load average {loadAtStart} at the start); "
                + $"size `{options.Profile.Name}` ({(options.Profile == HistoryProfile.Mirror ? options.MirrorGitFolder : $"seed {options.Seed}")}), "
                + $"{options.Repetitions} repetitions per side; ours: {tools.Description} on .NET {Environment.Version}; {StockFossil.Ok(workRoot, "version").Trim()}.",
            "",
        };
        preamble.AddRange(repositories.Describe().Select(line => $"- {line}"));
        preamble.Add($"- load average at the end: {MachineLoad()}");
        string markdown = ResultTable.Format(scenarios, results, preamble);
        if (noOpSync is not null) markdown += LoadTable.Format(loadResults, noOpSync, loadSettings);
        if (captureFailure is not null) markdown += LoadTable.CaptureFailed(captureFailure, loadSettings);
        Directory.CreateDirectory(options.OutputFolder);
        await File.WriteAllTextAsync(Path.Combine(options.OutputFolder, "e2e-results.md"), markdown);
        await File.WriteAllTextAsync(Path.Combine(options.OutputFolder, "e2e-results.csv"), ResultCsv.Format(results, loadResults, loadSettings.Clients));
        Console.WriteLine();
        Console.WriteLine(markdown);
        Console.WriteLine($"written to {options.OutputFolder}/e2e-results.md and e2e-results.csv");
        return results.All(r => r.Succeeded) && loadResults.All(r => r.Succeeded) && captureFailure is null ? 0 : 1;
    }

    /// <summary>The 1-, 5- and 15-minute load averages, since the machine running a benchmark is often shared.</summary>
    private static string MachineLoad() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string Progress(RunResult r)
    {
        string what = r.Succeeded
            ? string.Create(CultureInfo.InvariantCulture, $"{r.Cost!.WallSeconds:0.00} s wall, {r.Cost.CpuSeconds:0.00} s CPU, {r.Cost.PeakRssKb / 1024} MiB, {r.BytesSent / 1024}/{r.BytesReceived / 1024} KiB sent/received")
            : "FAILED: " + r.Failure;
        if (r.Detail is not null) what += $"\n      {r.Detail}";
        return $"  rep {r.Repetition} {r.Scenario,-24} {r.Side.ToString().ToLowerInvariant(),-5} {what}";
    }

    private static string Progress(LoadResult r, int clients)
    {
        string what = r.Sample is { } s
            ? string.Create(CultureInfo.InvariantCulture, $"{s.PerSecond:#,0} syncs/s, p50 {s.P50Ms:0.0} ms, p99 {s.P99Ms:0.0} ms, server CPU {s.ServerCpuMsPerSync:0.00} ms/sync, other processes {100 * s.OtherCpuSeconds / s.Seconds:0}% of a core, {s.Failed} failed")
            : "";
        if (!r.Succeeded) what += (what.Length > 0 ? "; " : "") + "FAILED: " + r.Failure;
        return $"  rep {r.Repetition} {$"load, {clients} clients",-24} {r.Side.ToString().ToLowerInvariant(),-5} {what}";
    }
}
