using System.Diagnostics;

namespace FossilSync.Fuzz;

/// <summary>
/// A seeded property run of one target: every seed as it is, then mutated inputs until the
/// execution or time budget is spent or an input breaks an invariant.
/// </summary>
public sealed class MutationRun
{
    /// <summary>An input slower than this counts as a hang.</summary>
    public static readonly TimeSpan HangThreshold = TimeSpan.FromSeconds(2);

    private MutationRun() { }

    /// <summary>Inputs executed.</summary>
    public long Executions { get; private set; }

    /// <summary>Wall time of the run.</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <summary>The slowest single input.</summary>
    public TimeSpan Slowest { get; private set; }

    /// <summary>The input that failed, or null.</summary>
    public byte[]? FailingInput { get; private set; }

    /// <summary>What it raised (an undocumented exception, an invariant violation, or a hang).</summary>
    public Exception? Failure { get; private set; }

    /// <summary>
    /// Runs <paramref name="target"/> over its seeds from <paramref name="capturesDirectory"/>,
    /// then mutations.
    /// </summary>
    public static MutationRun Execute(string target, string capturesDirectory, long maxExecutions, TimeSpan maxTime, int seed)
    {
        var seeds = SeedCorpus.FromCaptures(capturesDirectory).For(target);
        var mutator = new SeedMutator(seeds, new Random(seed));
        var run = new MutationRun();
        var clock = Stopwatch.StartNew();
        long lastTick = 0;
        while (run.Executions < maxExecutions)
        {
            byte[] input = run.Executions < seeds.Count ? seeds[(int)run.Executions] : mutator.Next();
            run.Executions++;
            try
            {
                FuzzTargets.Run(target, input);
            }
            catch (Exception ex)
            {
                run.Fail(input, ex);
                break;
            }
            long now = clock.ElapsedTicks;
            var took = TimeSpan.FromSeconds((now - lastTick) / (double)Stopwatch.Frequency);
            lastTick = now;
            if (took > run.Slowest) run.Slowest = took;
            if (took > HangThreshold)
            {
                run.Fail(input, new TimeoutException($"one input took {took.TotalSeconds:F1} s"));
                break;
            }
            if ((run.Executions & 63) == 0 && clock.Elapsed > maxTime) break;
        }
        run.Elapsed = clock.Elapsed;
        return run;
    }

    private void Fail(byte[] input, Exception ex)
    {
        FailingInput = input;
        Failure = ex;
    }
}
