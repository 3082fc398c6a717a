using FossilSync.Nats;
using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Sync;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Nats;

/// <summary>Clone, push and pull over a real nats-server, through a <see cref="FossilNatsServer"/> hub.</summary>
public sealed class NatsTransportTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _served;
    private readonly string _projectCode;

    public NatsTransportTests()
    {
        _served = _dir.File("served.fossil");
        StockRepositoryBuilder.Build(_served, commits: 30, seed: 2001);
        StockFossil.Ok(_dir.Path, "user", "new", "alice", "", "secret", "-R", _served);
        StockFossil.Ok(_dir.Path, "user", "capabilities", "alice", "oi", "-R", _served);
        using var repository = Repository.Open(_served);
        _projectCode = repository.ProjectCode;
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Clone_over_nats_holds_every_artifact_of_the_hub_and_passes_stock_integrity()
    {
        using var nats = new NatsServerFixture();
        await using var connection = await nats.ConnectAsync();
        await using var hub = await FossilNatsServer.StartAsync(connection, [_served]);
        var transport = new NatsTransport(connection, _projectCode);

        var (clone, result) = await FossilClient.CloneAsync(transport, _dir.File("clone.fossil"));
        using (clone) clone.ListArtifacts().Should().Equal(Artifacts(_served));

        result.ProjectCode.Should().Be(_projectCode);
        transport.HubId.Should().Be(hub.HubId);
        StockFossil.Run(_dir.Path, "test-integrity", "-R", _dir.File("clone.fossil")).IntegrityOk.Should().BeTrue();
    }

    [Fact]
    public async Task Replies_and_requests_larger_than_max_payload_travel_in_chunks()
    {
        // 32 KB messages: a clone page (up to 5 MB) and a push of a 200 KB incompressible file both exceed it.
        using var nats = new NatsServerFixture(maxPayload: 32 * 1024);
        await using var connection = await nats.ConnectAsync();
        connection.ServerInfo!.MaxPayload.Should().Be(32 * 1024);
        await using var hub = await FossilNatsServer.StartAsync(connection, [_served]);

        string leaf = _dir.File("leaf.fossil");
        var (clone, result) = await FossilClient.CloneAsync(new NatsTransport(connection, _projectCode), leaf, new CloneOptions { Resume = CloneResume.Never, User = "alice", Password = "secret" });
        clone.Dispose();
        Artifacts(leaf).Should().Equal(Artifacts(_served));

        var big = new byte[200_000];
        new Random(2002).NextBytes(big);
        StockFossil.CommitInCheckout(leaf, _dir.File("work"), "big.bin", big, "a large file", "alice");
        using (var repository = Repository.Open(leaf))
        {
            var push = await FossilClient.SyncAsync(repository, new NatsTransport(connection, _projectCode), new SyncOptions { Pull = false, User = "alice", Password = "secret" });
            push.FilesSent.Should().BeGreaterThan(0);
        }
        Artifacts(_served).Should().Equal(Artifacts(leaf));
    }

    [Fact]
    public async Task A_wrong_password_is_refused_over_nats_as_over_http()
    {
        using var nats = new NatsServerFixture();
        await using var connection = await nats.ConnectAsync();
        await using var hub = await FossilNatsServer.StartAsync(connection, [_served]);
        string leaf = _dir.File("leaf.fossil");
        var (clone, _) = await FossilClient.CloneAsync(new NatsTransport(connection, _projectCode), leaf);
        using (clone)
        {
            clone.PutArtifact(System.Text.Encoding.UTF8.GetBytes("only in the leaf\n"));
            var push = () => FossilClient.SyncAsync(clone, new NatsTransport(connection, _projectCode), new SyncOptions { Pull = false, User = "alice", Password = "wrong" });
            await push.Should().ThrowAsync<SyncProtocolException>();
        }
        Artifacts(_served).Should().NotEqual(Artifacts(leaf));
    }

    [Fact]
    public async Task A_project_nobody_serves_fails_with_a_transport_error()
    {
        using var nats = new NatsServerFixture();
        await using var connection = await nats.ConnectAsync();
        var transport = new NatsTransport(connection, "0123456789abcdef", new NatsTransportOptions { Retries = 1, RetryDelay = TimeSpan.FromMilliseconds(10) });

        var clone = () => FossilClient.CloneAsync(transport, _dir.File("nothing.fossil"));

        (await clone.Should().ThrowAsync<TransportException>()).Which.Message.Should().Contain("no hub serves");
        File.Exists(_dir.File("nothing.fossil")).Should().BeFalse();
    }

    internal static IReadOnlyList<string> Artifacts(string path)
    {
        using var repository = Repository.Open(path);
        return repository.ListArtifacts();
    }
}
