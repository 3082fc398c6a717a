using FossilSync.Http;
using FossilSync.Sync;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Sync;

/// <summary>The final pass (rebuild and verification) is most of a large clone's time, so it must stop when asked.</summary>
public sealed class CloneFinalPassCancellationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Cancelling_after_the_last_round_stops_the_final_pass_and_leaves_no_clone()
    {
        string served = _dir.File("served.fossil");
        StockRepositoryBuilder.Build(served, commits: 40, seed: 5);
        using var server = new StockServer(served);
        using var transport = new HttpTransport(server.Url);
        var (reference, whole) = await FossilClient.CloneAsync(transport, _dir.File("reference.fossil"));
        reference.Dispose();

        using var cancel = new CancellationTokenSource();
        string target = _dir.File("cancelled.fossil");
        // Reported synchronously after the last round is stored, before the final pass starts.
        var options = new CloneOptions { Progress = new SynchronousProgress(p => { if (p.Round == whole.Rounds) cancel.Cancel(); }) };
        var act = () => FossilClient.CloneAsync(transport, target, options, cancel.Token);

        var thrown = await act.Should().ThrowAsync<OperationCanceledException>();
        // The rebuild's own frame (BulkLoad.Finish may be inlined into its caller in a Release build).
        thrown.Which.StackTrace.Should().Contain("Rebuilder.Run", "the final pass itself sees the token; a check after it would come only once the work is done");
        File.Exists(target).Should().BeFalse();
        File.Exists(target + FossilClient.PartialCloneSuffix).Should().BeFalse("a clone stopped after its last round has nothing left to resume");
    }

    private sealed class SynchronousProgress(Action<SyncProgress> report) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => report(value);
    }
}
