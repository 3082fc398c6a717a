using System.Collections.Concurrent;
using FossilSync.Simulation;
using FossilSync.Testing;

namespace FossilSync.Tests.Simulator;

/// <summary>
/// The deterministic simulator in CI: a few hundred seeds with swarm faults, a seed replayed
/// twice, and every fault site reached. A failure prints each violation with its replay command.
/// </summary>
public sealed class SimulatorTests
{
    /// <summary>Seeds per CI run and steps per seed, chosen so the test takes about a minute on two cores.</summary>
    internal const int CiSeeds = SimulatorBudget.Seeds, CiSteps = SimulatorBudget.Steps;

    [Fact]
    public void A_few_hundred_seeds_hold_every_invariant()
    {
        var violations = SimulatorBudget.Sweep(1, CiSeeds, FaultMode.Swarm, CiSteps);
        violations.Should().BeEmpty(string.Join('\n', violations.Take(20)));
    }

    [Fact]
    public void A_seed_run_twice_gives_the_same_trace()
    {
        var first = Run(20_261_204, FaultMode.Swarm, steps: 60);
        var second = Run(20_261_204, FaultMode.Swarm, steps: 60);
        first.Messages.Should().BeGreaterThan(20, "the run put messages on the simulated wire");
        first.Fired.Should().NotBeEmpty("faults fired in the run");
        second.Trace.Should().Be(first.Trace);
        second.Fired.Should().Equal(first.Fired);
        Run(20_261_205, FaultMode.Swarm, steps: 60).Trace.Should().NotBe(first.Trace, "another seed is another run");
    }

    public static TheoryData<string> Sites() => [.. FaultSites.All];

    [Theory]
    [MemberData(nameof(Sites))]
    public void Every_fault_site_is_reached_and_survived(string site)
    {
        // Only this site, on at a high rate: a few short seeds reach it.
        RunResult? fired = null;
        for (int seed = 1; seed <= 30 && fired is null; seed++)
        {
            var result = Run(seed, FaultMode.Only(site), steps: 60);
            result.Violations.Should().BeEmpty(string.Join('\n', result.Violations));
            if (result.Fired.GetValueOrDefault(site) > 0) fired = result;
        }
        fired.Should().NotBeNull($"{site} fired in one of the seeds");
    }

    private static RunResult Run(int seed, FaultMode mode, int steps)
    {
        using var simulation = new FossilSync.Simulation.Simulation(seed, mode, steps);
        return simulation.Run();
    }
}
