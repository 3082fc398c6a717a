using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Testing;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Sync;

/// <summary>Fault sites cost nothing in production: with no injector a site allocates nothing, and a server round allocates the same with or without one.</summary>
[Collection(MeasuresAllocationsCollection.Name)]
public sealed class FaultSiteCostTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private sealed class NeverFires : IFaultInjector
    {
        public int Consulted { get; private set; }

        public bool Check(string site, double probability)
        {
            Consulted++;
            return false;
        }
    }

    [Fact]
    public void A_site_without_an_injector_allocates_nothing()
    {
        bool fired = false;
        // Warm up (JIT), then measure.
        for (int i = 0; i < 1000; i++) fired |= Sites(null);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000_000; i++) fired |= Sites(null);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        fired.Should().BeFalse();
        allocated.Should().Be(0);
    }

    [Fact]
    public async Task A_server_round_allocates_the_same_with_no_injector_as_with_one_that_never_fires()
    {
        using var repository = Repository.Create(_dir.File("served.fossil"));
        for (int i = 0; i < 20; i++) repository.PutArtifact(FreshArtifact.Create($"cost {i}").Content);
        byte[] request = new XferMessage([new PullCard("0", repository.ProjectCode), new PushCard("0", repository.ProjectCode), new IGotCard(FreshArtifact.Create("offered").Hash)]).Encode();
        var never = new NeverFires();
        var without = new SyncServerOptions();
        var with = new SyncServerOptions { Faults = never };

        long Measure(SyncServerOptions options)
        {
            long least = long.MaxValue;
            for (int i = 0; i < 15; i++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                var reply = SyncHandler.HandleSyncAsync(repository, new SyncRequest(request, XferContentType.Uncompressed), options).GetAwaiter().GetResult();
                least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
                reply.Body.Should().NotBeEmpty();
            }
            return least;
        }

        await Task.Yield();
        Measure(without);
        Measure(with);
        long withoutBytes = Measure(without), withBytes = Measure(with);
        never.Consulted.Should().BeGreaterThan(0, "the round passed through its fault sites");
        withBytes.Should().Be(withoutBytes);
    }

    private static bool Sites(IFaultInjector? faults)
    {
        FaultSites.Check(faults, FaultSites.ServerAbortMidRound);
        FaultSites.Check(faults, FaultSites.StorageFailsAtCommit);
        return FaultSites.Fires(faults, FaultSites.ServerSkipGimme) | FaultSites.Fires(faults, FaultSites.ClientRejectFile);
    }
}
