using System.Globalization;
using FossilSync.EndToEnd.Generation;
using FossilSync.EndToEnd.Results;
using FossilSync.EndToEnd.Scenarios;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.EndToEnd;

/// <summary>
/// <c>FossilSync.EndToEnd [--size small|large] [--reps N] [--out DIR] [--seed S] [--generate-only] [--jit] [--cli-dir DIR]</c>:
/// builds the CLI, generates (or reuses) the repositories, runs every scenario's two sides N
/// times, alternating which goes first, and writes <c>e2e-results.md</c> and <c>e2e-results.csv</c>.
/// </summary>
internal static class EndToEndCommand
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(30);

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
        var repositories = BenchmarkRepositories.GetOrBuild(options.Profile, options.Seed, Console.Out);
        if (options.GenerateOnly) return 0;

        string root = SourceTree.FindRoot() ?? throw new InvalidOperationException("run this from inside the FossilSync checkout");
        var tools = Toolchain.Build(root, native: !options.Jit, options.CliFolder, Console.Out);
        var scenarios = ScenarioCatalog.Create(repositories, tools, options.Profile.ExtraCommits);
        string workRoot = Path.Combine(Path.GetTempPath(), "fossilsync-e2e-runs");
        var runner = new ScenarioRunner(workRoot, CommandTimeout);

        var results = new List<RunResult>();
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
        }

        var preamble = new List<string>
        {
            $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores; size `{options.Profile.Name}` (seed {options.Seed}), "
                + $"{options.Repetitions} repetitions per side; ours: {tools.Description} on .NET {Environment.Version}; {StockFossil.Ok(workRoot, "version").Trim()}.",
            "",
        };
        preamble.AddRange(repositories.Describe().Select(line => $"- {line}"));
        string markdown = ResultTable.Format(scenarios, results, preamble);
        Directory.CreateDirectory(options.OutputFolder);
        await File.WriteAllTextAsync(Path.Combine(options.OutputFolder, "e2e-results.md"), markdown);
        await File.WriteAllTextAsync(Path.Combine(options.OutputFolder, "e2e-results.csv"), ResultCsv.Format(results));
        Console.WriteLine();
        Console.WriteLine(markdown);
        Console.WriteLine($"written to {options.OutputFolder}/e2e-results.md and e2e-results.csv");
        return results.All(r => r.Succeeded) ? 0 : 1;
    }

    private static string Progress(RunResult r)
    {
        string what = r.Succeeded
            ? string.Create(CultureInfo.InvariantCulture, $"{r.Cost!.WallSeconds:0.00} s wall, {r.Cost.CpuSeconds:0.00} s CPU, {r.Cost.PeakRssKb / 1024} MiB, {r.BytesSent / 1024}/{r.BytesReceived / 1024} KiB sent/received")
            : "FAILED: " + r.Failure;
        return $"  rep {r.Repetition} {r.Scenario,-24} {r.Side.ToString().ToLowerInvariant(),-5} {what}";
    }
}
