using FossilSync.Nats;
using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Sync;
using FossilSync.Tests.Infrastructure;
using NATS.Client.Core;

namespace FossilSync.Tests.Nats;

/// <summary>A clone over NATS through faults: it completes, or it fails and leaves no file at the target.</summary>
public sealed class NatsFaultTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _served;
    private readonly string _code;
    // Small replies: a clone of many rounds, so a fault lands in the middle of it.
    private readonly SyncServerOptions _smallRounds = new() { MaxDownload = 20_000 };

    public NatsFaultTests()
    {
        _served = _dir.File("served.fossil");
        StockRepositoryBuilder.Build(_served, commits: 40, seed: 2401);
        using var repository = Repository.Open(_served);
        _code = repository.ProjectCode;
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_clone_goes_on_when_the_nats_server_restarts_in_the_middle()
    {
        using var nats = new NatsServerFixture();
        await using var hubConnection = await nats.ConnectAsync();
        await using var hub = await FossilNatsServer.StartAsync(hubConnection, [_served], new FossilNatsServerOptions { Sync = _smallRounds });
        await using var connection = await nats.ConnectAsync();
        Task? restart = null;
        var progress = new InlineProgress(p =>
        {
            if (p.Round != 1 || restart is not null) return;
            nats.Stop();
            restart = Task.Run(async () =>
            {
                await Task.Delay(300);
                nats.Start();
            });
        });
        var transport = new NatsTransport(connection, _code, new NatsTransportOptions { ReplyTimeout = TimeSpan.FromSeconds(2), Retries = 6 });

        var (clone, result) = await FossilClient.CloneAsync(transport, _dir.File("clone.fossil"), new CloneOptions { Progress = progress });
        clone.Dispose();

        restart.Should().NotBeNull("the server was stopped in the middle of the clone");
        await restart!;
        result.Rounds.Should().BeGreaterThan(1);
        NatsTransportTests.Artifacts(_dir.File("clone.fossil")).Should().Equal(NatsTransportTests.Artifacts(_served));
    }

    [Fact]
    public async Task A_clone_whose_hub_dies_fails_without_a_file_and_a_new_clone_from_another_hub_starts_afresh()
    {
        using var nats = new NatsServerFixture();
        await using var connectionA = await nats.ConnectAsync();
        await using var connectionB = await nats.ConnectAsync();
        await using var hubA = await FossilNatsServer.StartAsync(connectionA, [_served], new FossilNatsServerOptions { HubId = "hubA", Sync = _smallRounds });
        await using var hubB = await FossilNatsServer.StartAsync(connectionB, [_served], new FossilNatsServerOptions { HubId = "hubB", Sync = _smallRounds });
        await using var connection = await nats.ConnectAsync();
        var transport = new NatsTransport(connection, _code, new NatsTransportOptions { ReplyTimeout = TimeSpan.FromSeconds(2), Retries = 2, RetryDelay = TimeSpan.FromMilliseconds(50) });
        string dying = await transport.ChooseHubAsync();
        var (dyingConnection, dyingHub) = dying == "hubA" ? (connectionA, hubA) : (connectionB, hubB);
        bool killed = false;
        var progress = new InlineProgress(p =>
        {
            // The hub's connection drops between two rounds, as when its process is killed. The
            // clone waits for it: the next round's request is already out (a clone sends it before
            // storing this one), and one more must not get through before the hub is gone.
            if (p.Round == 1 && !killed)
            {
                dyingConnection.DisposeAsync().AsTask().GetAwaiter().GetResult();
                killed = true;
            }
        });
        string target = _dir.File("clone.fossil");

        var first = () => FossilClient.CloneAsync(transport, target, new CloneOptions { Progress = progress });

        await first.Should().ThrowAsync<TransportException>();
        killed.Should().BeTrue("the hub was killed after the first round");
        File.Exists(target).Should().BeFalse("a clone that failed leaves nothing at its target");

        var again = new NatsTransport(connection, _code, new NatsTransportOptions { ReplyTimeout = TimeSpan.FromSeconds(2) });
        (await again.ChooseHubAsync()).Should().NotBe(dying);
        var (clone, _) = await FossilClient.CloneAsync(again, target);
        clone.Dispose();
        NatsTransportTests.Artifacts(target).Should().Equal(NatsTransportTests.Artifacts(_served));
        File.Exists(target + FossilClient.PartialCloneSuffix).Should().BeFalse();
    }

    [Fact]
    public async Task A_slow_consumer_with_a_one_message_buffer_clones_everything_through_small_messages()
    {
        using var nats = new NatsServerFixture(maxPayload: 16 * 1024);
        await using var hubConnection = await nats.ConnectAsync();
        await using var hub = await FossilNatsServer.StartAsync(hubConnection, [_served]);
        // One pending message per subscription, newest dropped when full: a reply flooded in
        // chunks would lose some. Chunks are asked for one at a time, so none is.
        await using var connection = await nats.ConnectAsync(o => o with { SubPendingChannelCapacity = 1, SubPendingChannelFullMode = System.Threading.Channels.BoundedChannelFullMode.DropNewest });
        var slow = new InlineProgress(_ => Thread.Sleep(20));

        var (clone, _) = await FossilClient.CloneAsync(new NatsTransport(connection, _code), _dir.File("clone.fossil"), new CloneOptions { Progress = slow });
        clone.Dispose();

        NatsTransportTests.Artifacts(_dir.File("clone.fossil")).Should().Equal(NatsTransportTests.Artifacts(_served));
    }

    /// <summary>Reports run on the clone's own path, between rounds (Progress&lt;T&gt; would post them elsewhere).</summary>
    [Fact]
    public async Task The_hub_answers_with_every_server_option_it_was_given_including_fault_injection()
    {
        using var nats = new NatsServerFixture();
        await using var hubConnection = await nats.ConnectAsync();
        var faults = new AbortEveryRound();
        var given = _smallRounds with { Faults = faults };
        await using var hub = await FossilNatsServer.StartAsync(hubConnection, [_served], new FossilNatsServerOptions { Sync = given });
        await using var connection = await nats.ConnectAsync();
        var transport = new NatsTransport(connection, _code, new NatsTransportOptions { ReplyTimeout = TimeSpan.FromSeconds(2), Retries = 0 });

        var clone = () => FossilClient.CloneAsync(transport, _dir.File("clone.fossil"));

        await clone.Should().ThrowAsync<FossilSyncException>("every round the hub answers aborts at the injected site");
        faults.Asked.Should().BeGreaterThan(0, "the hub's rounds consult the injector they were given");
        hub.SyncOptions.Should().BeEquivalentTo(given, o => o.Excluding(x => x.ArtifactsStored), "nothing the host set is dropped on the way to the rounds");
        File.Exists(_dir.File("clone.fossil")).Should().BeFalse();
    }

    [Fact]
    public async Task A_clone_begun_before_any_hub_serves_the_project_retries_until_one_does()
    {
        using var nats = new NatsServerFixture();
        await using var connection = await nats.ConnectAsync();
        var transport = new NatsTransport(connection, _code, new NatsTransportOptions { ReplyTimeout = TimeSpan.FromSeconds(2), Retries = 8, RetryDelay = TimeSpan.FromMilliseconds(100) });
        var clone = FossilClient.CloneAsync(transport, _dir.File("clone.fossil"));
        // The first requests find no responder; the hub comes a little later.
        await Task.Delay(400);
        clone.IsCompleted.Should().BeFalse("without a hub the clone is still retrying");
        await using var hubConnection = await nats.ConnectAsync();
        await using var hub = await FossilNatsServer.StartAsync(hubConnection, [_served]);

        var (repository, _) = await clone;
        repository.Dispose();

        NatsTransportTests.Artifacts(_dir.File("clone.fossil")).Should().Equal(NatsTransportTests.Artifacts(_served));
    }

    // Aborts every server round before its commit.
    private sealed class AbortEveryRound : Testing.IFaultInjector
    {
        private int _asked;
        public int Asked => Volatile.Read(ref _asked);

        public bool Check(string site, double probability)
        {
            if (site != Testing.FaultSites.ServerAbortMidRound) return false;
            Interlocked.Increment(ref _asked);
            return true;
        }
    }

    private sealed class InlineProgress(Action<SyncProgress> report) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => report(value);
    }
}
