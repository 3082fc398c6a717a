using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using FossilSync.AspNetCore;
using FossilSync.Http;
using FossilSync.Observability;
using FossilSync.OpenTelemetry;
using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Sync;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace FossilSync.Tests.Observability;

/// <summary>What the server and the client export: spans (one trace across HTTP), metrics and log events.</summary>
public sealed class ServerTelemetryTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _served;

    public ServerTelemetryTests()
    {
        _served = _dir.File("served.fossil");
        using var setup = Repository.Create(_served);
        setup.Execute("UPDATE user SET cap='gio' WHERE login='nobody'");
        for (int i = 0; i < 5; i++) setup.PutArtifact(FreshArtifact.Create($"traced {i}").Content);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_clone_over_http_and_the_server_requests_it_causes_are_one_trace()
    {
        var exported = new ConcurrentQueue<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource("test")
            .AddSource("Microsoft.AspNetCore")
            .AddFossilSyncInstrumentation()
            .AddProcessor(new CapturingProcessor(exported))
            .Build();
        await using var server = await FossilSyncServer.StartAsync(_served, "http://127.0.0.1:0");
        using var source = new ActivitySource("test");
        CloneResult result;
        ActivityTraceId traceId;
        using (var caller = source.StartActivity("caller"))
        {
            traceId = caller!.TraceId;
            var (clone, cloned) = await FossilClient.CloneAsync(new HttpTransport(server.Url), _dir.File("clone.fossil"));
            clone.Dispose();
            result = cloned;
        }

        result.PeerId.Should().Be(server.Url.AbsoluteUri);
        var trace = exported.Where(a => a.TraceId == traceId).ToList();
        var session = trace.Single(a => a.DisplayName == "fossilsync.clone");
        var rounds = trace.Where(a => a.DisplayName == "fossilsync.round").ToList();
        rounds.Should().HaveCount(result.Rounds).And.OnlyContain(r => r.ParentSpanId == session.SpanId && r.Kind == ActivityKind.Client);
        var requests = trace.Where(a => a.Source.Name == FossilSyncTelemetry.Name && a.Kind == ActivityKind.Server).ToList();
        requests.Should().HaveCount(result.Rounds, "every round's request is served in the client's trace");
        var hosting = trace.Where(a => a.Source.Name == "Microsoft.AspNetCore").ToDictionary(a => a.SpanId);
        foreach (var request in requests)
        {
            hosting.Should().ContainKey(request.ParentSpanId, "the server's span is a child of ASP.NET Core's request activity");
            rounds.Select(r => r.SpanId).Should().Contain(hosting[request.ParentSpanId].ParentSpanId, "which continues the client round that sent the traceparent");
        }
        requests[0].DisplayName.Should().Be("fossilsync.server.clone");
        requests[0].GetTagItem("fossilsync.operation").Should().Be("clone");
        requests.Sum(r => (int)r.GetTagItem("fossilsync.files.sent")!).Should().Be(result.ArtifactsReceived);
        requests.Should().OnlyContain(r => (string?)r.GetTagItem("fossilsync.outcome") == "success" && (string?)r.GetTagItem("client.address") == "127.0.0.1");
    }

    [Fact]
    public async Task Without_a_host_activity_the_server_span_joins_the_traceparent_the_request_carries()
    {
        var exported = new ConcurrentQueue<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddFossilSyncInstrumentation().AddProcessor(new CapturingProcessor(exported)).Build();
        var traceId = ActivityTraceId.CreateRandom();
        var parent = ActivitySpanId.CreateRandom();
        var body = new XferMessage([new PullCard(new string('0', 40), ProjectCode())]).Encode();
        using (var repository = Repository.Open(_served))
        {
            await SyncHandler.HandleSyncAsync(repository, new SyncRequest(body, XferContentType.Uncompressed) { TraceParent = $"00-{traceId}-{parent}-01" });
        }
        var span = exported.Single(a => a.TraceId == traceId);
        span.ParentSpanId.Should().Be(parent);
        span.DisplayName.Should().Be("fossilsync.server.pull");
    }

    [Fact]
    public async Task Both_sides_record_durations_as_histograms_and_count_rounds_artifacts_and_bytes_each_way_by_operation()
    {
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == FossilSyncTelemetry.Name) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, Tags(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, Tags(tags))));
        listener.Start();
        // Other tests sync at the same time: this one's measurements are told apart by a project of its own.
        await using var server = await FossilSyncServer.StartAsync(_served, "http://127.0.0.1:0");
        var (clone, result) = await FossilClient.CloneAsync(new HttpTransport(server.Url), _dir.File("clone.fossil"));
        clone.Dispose();
        listener.Dispose();

        var all = measurements.ToList();
        var instruments = all.Select(m => m.Instrument).ToHashSet();
        instruments.Should().Contain(["fossilsync.client.session.duration", "fossilsync.client.round.duration", "fossilsync.rounds", "fossilsync.bytes.sent",
            "fossilsync.bytes.received", "fossilsync.artifacts.received", "fossilsync.server.request.duration", "fossilsync.server.artifacts.sent",
            "fossilsync.server.bytes.received", "fossilsync.server.bytes.sent"]);
        all.Should().Contain(m => m.Instrument == "fossilsync.server.request.duration" && (string?)m.Tags["fossilsync.operation"] == "clone" && (string?)m.Tags["fossilsync.outcome"] == "success");
        all.Should().Contain(m => m.Instrument == "fossilsync.client.session.duration" && (string?)m.Tags["fossilsync.operation"] == "clone" && (string?)m.Tags["fossilsync.outcome"] == "success" && m.Value > 0);
        all.Where(m => m.Instrument == "fossilsync.bytes.sent" && (string?)m.Tags["fossilsync.operation"] == "clone").Sum(m => m.Value).Should().BePositive();
        all.Where(m => m.Instrument == "fossilsync.rounds" && (string?)m.Tags["fossilsync.operation"] == "clone").Sum(m => m.Value).Should().BeGreaterThanOrEqualTo(result.Rounds);
    }

    [Fact]
    public async Task The_server_logs_each_request_and_each_refusal_with_its_event_id()
    {
        var logger = new CapturingLogger();
        using (var repository = Repository.Open(_served))
        {
            var options = new SyncServerOptions { Logger = logger };
            await SyncHandler.HandleSyncAsync(repository, new XferMessage([new PullCard(new string('0', 40), ProjectCode())]), options, "192.0.2.1");
            await SyncHandler.HandleSyncAsync(repository, new XferMessage([new PullCard(new string('0', 40), new string('a', 40))]), options, "192.0.2.2");
        }
        logger.Entries.Should().ContainSingle(e => e.Id.Id == 1802, string.Join("\n", logger.Entries)).Which.Should().Match<(LogLevel Level, EventId Id, string Message)>(e => e.Id.Id == 1802 && e.Level == LogLevel.Warning && e.Message.Contains("192.0.2.2") && e.Message.Contains("wrong project"));
        logger.Entries.Where(e => e.Id.Name == "RequestCompleted").Should().HaveCount(2).And.Contain(e => e.Message.Contains("pull request") && e.Message.Contains("192.0.2.1"));
    }

    [Fact]
    public async Task The_ready_made_server_logs_warnings_and_errors_to_the_console()
    {
        await using var server = await FossilSyncServer.StartAsync(_served, "http://127.0.0.1:0");
        server.Services.GetServices<ILoggerProvider>().Should().Contain(p => p.GetType().Name == "ConsoleLoggerProvider");
        var logger = server.Services.GetRequiredService<ILoggerFactory>().CreateLogger(FossilSyncEndpoints.LogCategory);
        logger.IsEnabled(LogLevel.Warning).Should().BeTrue();
        logger.IsEnabled(LogLevel.Debug).Should().BeFalse("one line per request would drown what matters");
    }

    private string ProjectCode()
    {
        using var repository = Repository.Open(_served);
        return repository.ProjectCode;
    }

    private static Dictionary<string, object?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>();
        foreach (var tag in tags) result[tag.Key] = tag.Value;
        result.TryAdd("fossilsync.operation", null);
        result.TryAdd("fossilsync.outcome", null);
        return result;
    }

    private sealed class CapturingProcessor(ConcurrentQueue<Activity> exported) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data) => exported.Enqueue(data);
    }

    private sealed class CapturingLogger : ILogger
    {
        public ConcurrentQueue<(LogLevel Level, EventId Id, string Message)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((logLevel, eventId, formatter(state, exception)));
    }
}
