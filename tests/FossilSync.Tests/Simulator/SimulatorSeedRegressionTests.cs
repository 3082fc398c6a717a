using FossilSync.Simulation;

namespace FossilSync.Tests.Simulator;

/// <summary>Seeds on which the simulator found a bug in the library: each must stay clean.</summary>
public sealed class SimulatorSeedRegressionTests
{
    // Our server never asked for the private phantoms a private push announced (it listed public
    // phantoms only), so private check-ins never reached it: 30 private phantoms on the hub.
    [Fact]
    public void Seed_1_private_artifacts_pushed_in_a_private_sync_reach_the_server()
    {
        var result = Run(1, FaultMode.Off);
        result.Violations.Should().BeEmpty(string.Join('\n', result.Violations));
    }

    // A server with no unversioned files sends uv-push-ok and no uvigot; our client took only a
    // uvigot as the catalogue's arrival, so it never uploaded its files to an empty server.
    [Fact]
    public void Seed_15_unversioned_files_reach_a_server_that_has_none()
    {
        var result = Run(15, FaultMode.Swarm);
        result.Violations.Should().BeEmpty(string.Join('\n', result.Violations));
    }

    private static RunResult Run(int seed, FaultMode mode)
    {
        using var simulation = new FossilSync.Simulation.Simulation(seed, mode);
        return simulation.Run();
    }
}
