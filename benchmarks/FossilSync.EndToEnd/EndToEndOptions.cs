using FossilSync.EndToEnd.Generation;

namespace FossilSync.EndToEnd;

/// <summary>The command line of the end-to-end comparison.</summary>
internal sealed record EndToEndOptions(
    HistoryProfile Profile,
    int Repetitions,
    string OutputFolder,
    int Seed,
    bool GenerateOnly,
    bool Jit,
    string CliFolder,
    bool RunScenarios,
    bool RunLoad,
    int LoadClients,
    int LoadSeconds,
    bool RunBombs,
    IReadOnlyList<string> ScenarioFilter,
    string MirrorGitFolder,
    bool Prebuilt)
{
    public const string Usage =
        "usage: FossilSync.EndToEnd [--size small|large|real|real-full|mirror] [--mirror GIT-DIR] [--reps N] [--out DIR] [--seed S] [--generate-only] [--jit] [--cli-dir DIR] [--prebuilt]\n"
        + "                           [--only scenarios|load|bombs] [--load-clients N] [--load-seconds S]\n"
        + "                           [--scenario TEXT]...   (only the scenarios whose name contains TEXT, any case)";

    /// <summary>True when <paramref name="name"/> passes the <c>--scenario</c> filters (all pass when there are none).</summary>
    public bool Selects(string name) =>
        ScenarioFilter.Count == 0 || ScenarioFilter.Any(text => name.Contains(text, StringComparison.OrdinalIgnoreCase));

    public static EndToEndOptions? Parse(string[] args)
    {
        var profile = HistoryProfile.Small;
        int repetitions = 3, seed = 2026, loadClients = 16, loadSeconds = 10;
        string output = DefaultOutputFolder();
        string cliFolder = Toolchain.DefaultNativeFolder;
        string mirror = MirrorImport.DefaultGitFolder;
        bool generateOnly = false, jit = false, prebuilt = false, scenarios = true, load = true, bombs = false;
        var filter = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            bool hasValue = i + 1 < args.Length;
            switch (args[i])
            {
                case "--size" when hasValue: profile = HistoryProfile.Parse(args[++i]); break;
                case "--reps" when hasValue && int.TryParse(args[i + 1], out repetitions) && repetitions > 0: i++; break;
                case "--seed" when hasValue && int.TryParse(args[i + 1], out seed): i++; break;
                case "--out" when hasValue: output = Path.GetFullPath(args[++i]); break;
                case "--generate-only": generateOnly = true; break;
                case "--jit": jit = true; break;
                case "--prebuilt": prebuilt = true; break;
                case "--cli-dir" when hasValue: cliFolder = Path.GetFullPath(args[++i]); break;
                case "--mirror" when hasValue: mirror = Path.GetFullPath(args[++i]); break;
                case "--only" when hasValue && args[i + 1] is "scenarios" or "load" or "bombs":
                    string only = args[++i];
                    scenarios = only == "scenarios";
                    load = only == "load";
                    bombs = only == "bombs";
                    break;
                case "--scenario" when hasValue: filter.Add(args[++i]); break;
                case "--load-clients" when hasValue && int.TryParse(args[i + 1], out loadClients) && loadClients > 0: i++; break;
                case "--load-seconds" when hasValue && int.TryParse(args[i + 1], out loadSeconds) && loadSeconds > 0: i++; break;
                default: return null;
            }
        }
        return new EndToEndOptions(profile, repetitions, output, seed, generateOnly, jit, cliFolder, scenarios, load, loadClients, loadSeconds, bombs, filter, mirror, prebuilt);
    }

    /// <summary><c>benchmarks/results/</c> of the checkout this runs from.</summary>
    private static string DefaultOutputFolder() =>
        SourceTree.FindRoot() is { } root ? Path.Combine(root, "benchmarks", "results") : Path.GetFullPath("e2e-results");
}
