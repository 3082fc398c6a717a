using System.Diagnostics;
using FossilSync.Observability;
using FossilSync.OpenTelemetry;
using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Sync;
using FossilSync.Testing;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace FossilSync.Tests.Observability;

public sealed class ObservabilityTests : IDisposable
{
    private static readonly byte[] Content = "seen by the observer\n"u8.ToArray();
    private static readonly string Hash = ArtifactHash.Compute(Content, HashKind.Sha3_256);
    private readonly TempDirectory _dir = new();
    private readonly Repository _repository;

    public ObservabilityTests() => _repository = Repository.Create(_dir.File("r.fossil"));

    public void Dispose()
    {
        _repository.Dispose();
        _dir.Dispose();
    }

    // Round 1: the server advertises one artifact; round 2: it sends it when asked.
    private static MockTransport Server() => new(request =>
        request.Cards.OfType<GimmeCard>().Any()
            ? new XferMessage([new FileCard(Hash, null, Content)])
            : new XferMessage([new IGotCard(Hash)]));

    [Fact]
    public async Task The_observer_sees_the_session_and_every_round_in_order()
    {
        var observer = new RecordingObserver();
        await FossilClient.SyncAsync(_repository, Server(), new SyncOptions { Push = false, Observer = observer });
        observer.Calls.Should().Equal(
            "start Sync", "round 1", "end 1: sent 0, received 0", "round 2", "end 2: sent 0, received 1", "done Sync after 2 ok");
    }

    [Fact]
    public async Task A_failing_session_reports_its_error_to_the_observer()
    {
        var observer = new RecordingObserver();
        var refusing = new MockTransport(_ => new XferMessage([new ErrorCard("login failed")]));
        var act = () => FossilClient.SyncAsync(_repository, refusing, new SyncOptions { Observer = observer });
        await act.Should().ThrowAsync<SyncProtocolException>();
        observer.Calls[^1].Should().Be("done Sync after 1 SyncProtocolException");
    }

    [Fact]
    public async Task Spans_nest_under_the_callers_activity_and_reach_an_opentelemetry_provider()
    {
        var exported = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource("test")
            .AddFossilSyncInstrumentation()
            .AddProcessor(new CapturingProcessor(exported))
            .Build();
        using var source = new ActivitySource("test");
        using (var caller = source.StartActivity("caller"))
        {
            caller.Should().NotBeNull();
            await FossilClient.SyncAsync(_repository, Server(), new SyncOptions { Push = false });
        }

        // Other test classes sync in parallel and their spans reach this provider too: look
        // only at this trace.
        var caller2 = exported.Single(a => a.DisplayName == "caller");
        var trace = exported.Where(a => a.TraceId == caller2.TraceId).ToList();
        var session = trace.Single(a => a.DisplayName == "fossilsync.sync");
        session.ParentSpanId.Should().Be(caller2.SpanId, "a library's spans parent to the caller's current activity");
        session.GetTagItem("fossilsync.rounds").Should().Be(2);
        var rounds = trace.Where(a => a.DisplayName == "fossilsync.round").ToList();
        rounds.Should().HaveCount(2).And.OnlyContain(r => r.ParentSpanId == session.SpanId);
        rounds.Sum(r => (int)r.GetTagItem("fossilsync.files.received")!).Should().Be(1);
    }

    private sealed class RecordingObserver : ISyncObserver
    {
        public List<string> Calls { get; } = [];

        public void OnSessionStart(SyncSessionKind kind) => Calls.Add($"start {kind}");

        public void OnRoundStart(int round) => Calls.Add($"round {round}");

        public void OnRoundEnd(RoundStats stats) => Calls.Add($"end {stats.Round}: sent {stats.FilesSent}, received {stats.FilesReceived}");

        public void OnSessionEnd(SyncSessionKind kind, int rounds, Exception? error) =>
            Calls.Add($"done {kind} after {rounds} {(error is null ? "ok" : error.GetType().Name)}");
    }

    private sealed class CapturingProcessor(List<Activity> exported) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data) => exported.Add(data);
    }
}
