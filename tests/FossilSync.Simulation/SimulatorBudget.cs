namespace FossilSync.Simulation;

/// <summary>The CI sweep's size, and a sweep over two cores (seeds are independent runs).</summary>
public static class SimulatorBudget
{
    /// <summary>Seeds the xunit suite runs.</summary>
    public const int Seeds = 200;

    /// <summary>Steps per seed in the xunit suite (the command line's default is <see cref="Simulation.DefaultSteps"/>).</summary>
    public const int Steps = 15;

    /// <summary>Runs <paramref name="count"/> seeds from <paramref name="first"/> on <paramref name="workers"/> workers; returns every violation, in seed order.</summary>
    /// <param name="first">The first seed.</param>
    /// <param name="count">How many seeds.</param>
    /// <param name="mode">The faults each run may turn on.</param>
    /// <param name="steps">Random steps per seed.</param>
    /// <param name="workers">Seeds run at once.</param>
    /// <param name="onRun">Told of each seed as it ends (from the worker that ran it), so a long sweep shows what it finds at once.</param>
    public static List<Violation> Sweep(int first, int count, FaultMode mode, int steps, int workers = 2, Action<RunResult>? onRun = null)
    {
        var results = new Violation[count][];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = workers }, i =>
        {
            using var simulation = new Simulation(first + i, mode, steps);
            var result = simulation.Run();
            results[i] = [.. result.Violations];
            onRun?.Invoke(result);
        });
        return results.SelectMany(v => v).ToList();
    }
}
