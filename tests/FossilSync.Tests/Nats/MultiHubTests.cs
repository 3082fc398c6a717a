using FossilSync.Nats;
using FossilSync.Repo;
using FossilSync.Sync;
using FossilSync.Tests.Infrastructure;
using NATS.Client.Core;

namespace FossilSync.Tests.Nats;

/// <summary>Three hubs of one project, each on its own member of a 3-node NATS cluster.</summary>
public sealed class MultiHubTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _origin;
    private readonly string _projectCode;

    public MultiHubTests()
    {
        _origin = _dir.File("origin.fossil");
        StockRepositoryBuilder.Build(_origin, commits: 12, seed: 2201);
        // Anyone may push: the test is about who holds what, not about logins.
        StockFossil.Ok(_dir.Path, "user", "capabilities", "nobody", "oi", "-R", _origin);
        using var repository = Repository.Open(_origin);
        _projectCode = repository.ProjectCode;
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_push_to_one_hub_reaches_every_hub()
    {
        using var cluster = new NatsClusterFixture();
        await cluster.WaitUntilRoutedAsync();
        await using var hubs = await Hubs.StartAsync(this, cluster, replicating: [true, true, true]);

        string leaf = Copy("leaf.fossil");
        var added = AddArtifacts(leaf, 3, "everywhere");
        using (var repository = Repository.Open(leaf))
        {
            await FossilClient.SyncAsync(repository, new NatsTransport(hubs.Connections[0], _projectCode, new NatsTransportOptions { Hub = hubs.Servers[0].HubId }));
        }

        foreach (string path in hubs.Paths) await WaitUntilHoldsAsync(path, added);
        hubs.Servers.Sum(s => s.ReplicationFailures).Should().Be(0);
    }

    [Fact]
    public async Task A_leaf_never_reports_convergence_with_less_than_the_hub_that_answered_it_holds()
    {
        using var cluster = new NatsClusterFixture();
        await cluster.WaitUntilRoutedAsync();
        // The third hub never replicates: it stays behind the other two.
        await using var hubs = await Hubs.StartAsync(this, cluster, replicating: [true, true, false]);
        string writer = Copy("writer.fossil");
        var added = AddArtifacts(writer, 6, "fresh");
        using (var repository = Repository.Open(writer))
        {
            await FossilClient.SyncAsync(repository, new NatsTransport(hubs.Connections[0], _projectCode, new NatsTransportOptions { Hub = hubs.Servers[0].HubId }));
        }
        await WaitUntilHoldsAsync(hubs.Paths[1], added);
        NatsTransportTests.Artifacts(hubs.Paths[2]).Should().NotContain(added, "the lagging hub must really lag for this test to mean anything");

        var answeredBy = new HashSet<string>();
        for (int i = 0; i < 15; i++)
        {
            string leaf = Copy($"leaf{i}.fossil");
            var transport = new NatsTransport(hubs.Connections[i % 3], _projectCode);
            using (var repository = Repository.Open(leaf))
            {
                await FossilClient.SyncAsync(repository, transport, new SyncOptions { Push = false });
            }
            string hub = transport.HubId!;
            answeredBy.Add(hub);
            var held = NatsTransportTests.Artifacts(leaf);
            held.Should().Contain(NatsTransportTests.Artifacts(hubs.PathOf(hub)), $"leaf {i} finished a session with hub {hub}");
        }
        answeredBy.Should().HaveCountGreaterThan(1, "the queue group should spread fifteen sessions over the hubs");
    }

    [Fact]
    public async Task A_watcher_pulls_from_the_announcing_hub_and_pushes_its_own_changes()
    {
        using var cluster = new NatsClusterFixture();
        await cluster.WaitUntilRoutedAsync();
        await using var hubs = await Hubs.StartAsync(this, cluster, replicating: [true, true, false]);
        string watched = Copy("watched.fossil");
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        // No fallback within the test: only notices and local changes can move the leaf.
        var watcher = FossilWatcher.ForNats(watched, hubs.Connections[2], new FossilWatcherOptions { FallbackInterval = TimeSpan.FromHours(1), LocalPollInterval = TimeSpan.FromMilliseconds(100) });
        var running = watcher.RunAsync(stop.Token);
        await Polling.WaitUntilAsync(() => watcher.Syncs >= 1);

        string writer = Copy("writer.fossil");
        var added = AddArtifacts(writer, 2, "announced");
        using (var repository = Repository.Open(writer))
        {
            await FossilClient.SyncAsync(repository, new NatsTransport(hubs.Connections[1], _projectCode, new NatsTransportOptions { Hub = hubs.Servers[1].HubId }));
        }
        await WaitUntilHoldsAsync(watched, added);

        var local = AddArtifacts(watched, 1, "made on the leaf");
        await WaitUntilHoldsAsync(hubs.Paths[0], local);
        await WaitUntilHoldsAsync(hubs.Paths[1], local);

        await stop.CancelAsync();
        await running;
        watcher.Failures.Should().Be(0);
    }

    private string Copy(string name)
    {
        string path = _dir.File(name);
        File.Copy(_origin, path);
        return path;
    }

    private static List<string> AddArtifacts(string path, int count, string label)
    {
        using var repository = Repository.Open(path);
        return Enumerable.Range(0, count).Select(i => repository.PutArtifact(System.Text.Encoding.UTF8.GetBytes($"{label} {i} {Guid.NewGuid()}\n"))).ToList();
    }

    private static Task WaitUntilHoldsAsync(string path, IReadOnlyList<string> artifacts) =>
        Polling.WaitUntilAsync(() => artifacts.All(NatsTransportTests.Artifacts(path).Contains), $"{Path.GetFileName(path)} should come to hold {artifacts.Count} new artifacts");

    /// <summary>One hub per cluster member, each with its own copy of the origin repository and connection.</summary>
    private sealed class Hubs : IAsyncDisposable
    {
        public List<NatsConnection> Connections { get; } = [];
        public List<FossilNatsServer> Servers { get; } = [];
        public List<string> Paths { get; } = [];

        public string PathOf(string hubId) => Paths[Servers.FindIndex(s => s.HubId == hubId)];

        public static async Task<Hubs> StartAsync(MultiHubTests test, NatsClusterFixture cluster, bool[] replicating)
        {
            var hubs = new Hubs();
            for (int i = 0; i < replicating.Length; i++)
            {
                var connection = await cluster.Members[i].ConnectAsync();
                hubs.Connections.Add(connection);
                string path = test.Copy($"hub{i}.fossil");
                hubs.Paths.Add(path);
                hubs.Servers.Add(await FossilNatsServer.StartAsync(connection, [path], new FossilNatsServerOptions { HubId = "hub" + i, Replicate = replicating[i] }));
            }
            // Every hub's subscriptions have crossed the routes before a leaf asks.
            await Task.Delay(300);
            return hubs;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var server in Servers) await server.DisposeAsync();
            foreach (var connection in Connections) await connection.DisposeAsync();
        }
    }
}
