using System.Diagnostics;
using FossilSync.Simulation;

// dotnet run -c Release --project tests/FossilSync.Simulation -- --seeds N [--first S] | --seed S [--faults off | --only SITE] [--steps K]
int? single = null;
int seeds = 1, first = 1, steps = Simulation.DefaultSteps;
var mode = FaultMode.Swarm;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seed": single = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--seeds": seeds = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--first": first = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--steps": steps = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--faults": mode = args[++i] == "off" ? FaultMode.Off : FaultMode.Swarm; break;
        case "--only": mode = FaultMode.Only(args[++i]); break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}; use --seeds N [--first S], --seed S, --faults off, --only SITE, --steps K");
            return 2;
    }
}

if (single is int seed)
{
    using var simulation = new Simulation(seed, mode, steps);
    var result = simulation.Run();
    foreach (var violation in result.Violations) Console.WriteLine(violation);
    Console.WriteLine($"seed {seed} trace {result.Trace}");
    return result.Violations.Count == 0 ? 0 : 1;
}

var clock = Stopwatch.StartNew();
var gate = new object();
int done = 0;
// Violations as they are found (a sweep of thousands of seeds runs for hours), progress now and then.
var found = SimulatorBudget.Sweep(first, seeds, mode, steps, workers: Math.Max(1, Environment.ProcessorCount), onRun: result =>
{
    lock (gate)
    {
        foreach (var violation in result.Violations) Console.WriteLine(violation);
        if (++done % 100 == 0) Console.Error.WriteLine($"{done} of {seeds} seeds, {clock.Elapsed.TotalSeconds / done:0.000} s per seed");
    }
});
int violations = found.Count;
Console.Error.WriteLine($"{clock.Elapsed.TotalSeconds / seeds:0.000} s per seed, {seeds / clock.Elapsed.TotalSeconds:0.00} seeds/s ({Environment.ProcessorCount} workers)");
Console.WriteLine($"{seeds} seeds, {violations} violations");
return violations == 0 ? 0 : 1;
