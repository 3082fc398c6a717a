namespace FossilSync.Simulation;

/// <summary>The CI sweep's size, and a sweep over two cores (seeds are independent runs).</summary>
public static class SimulatorBudget
{
    /// <summary>Seeds the xunit suite runs.</summary>
    public const int Seeds = 200;

    /// <summary>Steps per seed in the xunit suite (the command line's default is <see cref="Simulation.DefaultSteps"/>).</summary>
    public const int Steps = 15;

    /// <summary>Runs <paramref name="count"/> seeds from <paramref name="first"/> on two workers; returns every violation, in seed order.</summary>
    public static List<Violation> Sweep(int first, int count, FaultMode mode, int steps, int workers = 2)
    {
        var results = new Violation[count][];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = workers }, i =>
        {
            using var simulation = new Simulation(first + i, mode, steps);
            results[i] = [.. simulation.Run().Violations];
        });
        return results.SelectMany(v => v).ToList();
    }
}
