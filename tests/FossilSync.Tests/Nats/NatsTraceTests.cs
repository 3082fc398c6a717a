using System.Collections.Concurrent;
using System.Diagnostics;
using FossilSync.Nats;
using FossilSync.Repo;
using FossilSync.Sync;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Nats;

/// <summary>Over NATS as over HTTP, a client round and the hub's request span are one trace.</summary>
public sealed class NatsTraceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Each_request_span_of_the_hub_is_a_child_of_the_client_round_that_sent_it()
    {
        string served = _dir.File("served.fossil");
        StockRepositoryBuilder.Build(served, commits: 6, seed: 2501);
        string code;
        using (var repository = Repository.Open(served)) code = repository.ProjectCode;
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "FossilSync" or "test",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var nats = new NatsServerFixture();
        await using var hubConnection = await nats.ConnectAsync();
        await using var hub = await FossilNatsServer.StartAsync(hubConnection, [served]);
        await using var connection = await nats.ConnectAsync();
        using var source = new ActivitySource("test");
        ActivityTraceId traceId;
        using (var caller = source.StartActivity("caller"))
        {
            traceId = caller!.TraceId;
            var (clone, _) = await FossilClient.CloneAsync(new NatsTransport(connection, code), _dir.File("clone.fossil"));
            clone.Dispose();
        }

        var trace = spans.Where(s => s.TraceId == traceId).ToList();
        var rounds = trace.Where(s => s.DisplayName == "fossilsync.round").Select(s => s.SpanId).ToHashSet();
        var requests = trace.Where(s => s.DisplayName.StartsWith("fossilsync.server.", StringComparison.Ordinal)).ToList();
        rounds.Should().NotBeEmpty();
        requests.Should().HaveCountGreaterThanOrEqualTo(2, "a clone is at least two rounds, each a request to the hub")
            .And.OnlyContain(r => rounds.Contains(r.ParentSpanId), "the hub continues the trace of the round that sent each request");
    }
}
