using System.Collections.Concurrent;
using FossilSync.Nats;
using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Nats;

/// <summary>The hub keeps one cache of expanded artifacts per repository across the rounds it answers.</summary>
public sealed class NatsContentCacheTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_second_round_finds_what_the_first_expanded()
    {
        string served = _dir.File("served.fossil");
        StockRepositoryBuilder.Build(served, commits: 30, seed: 2002);
        string projectCode;
        var names = new List<string>();
        using (var repository = Repository.Open(served))
        {
            projectCode = repository.ProjectCode;
            names.AddRange(repository.ListArtifacts());
        }
        var seen = new ConcurrentQueue<(ContentCache? Cache, long Hits)>();
        SyncRequestWrapper recording = next => async (repository, request, cancellationToken) =>
        {
            var response = await next(repository, request, cancellationToken);
            seen.Enqueue((repository.Options.ContentCache, repository.Options.ContentCache?.Hits ?? 0));
            return response;
        };
        using var nats = new NatsServerFixture();
        await using var connection = await nats.ConnectAsync();
        await using var hub = await FossilNatsServer.StartAsync(connection, [served], new FossilNatsServerOptions { Sync = new SyncServerOptions { Wrappers = [recording] } });
        var transport = new NatsTransport(connection, projectCode);
        byte[] pull = CraftedRequest.Unsigned([CraftedRequest.ClientVersion, new PullCard(new string('0', 40), projectCode), .. names.Select(n => new GimmeCard(n))]).Bytes;

        var first = await transport.ExchangeAsync(pull, CancellationToken.None);
        var second = await transport.ExchangeAsync(pull, CancellationToken.None);

        first.Cards.OfType<FileCard>().Should().NotBeEmpty();
        second.Cards.OfType<FileCard>().Select(f => f.Hash).Should().BeEquivalentTo(first.Cards.OfType<FileCard>().Select(f => f.Hash));
        seen.Should().HaveCount(2);
        seen.ElementAt(0).Cache.Should().NotBeNull().And.BeSameAs(seen.ElementAt(1).Cache);
        seen.ElementAt(1).Hits.Should().BeGreaterThan(seen.ElementAt(0).Hits);
    }
}
