using System.Diagnostics;
using FossilSync.Repo;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Cli;

public sealed class CliTelemetryTests
{
    [Fact]
    public async Task Serve_and_clone_processes_export_their_spans_over_otlp_http_into_one_trace()
    {
        using var dir = new TempDirectory();
        using var receiver = new OtlpReceiver();
        string served = dir.File("served.fossil");
        using (var setup = Repository.Create(served))
        {
            setup.Execute("UPDATE user SET cap='gio' WHERE login='nobody'");
            setup.PutArtifact(FreshArtifact.Create("exported").Content);
        }
        var environment = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        };
        int port = StockServer.FreePort();
        using var server = Process.Start(CliProcess.StartInfo(dir.Path, environment, "serve", served, "--port", port.ToString()))!;
        try
        {
            string? banner = await server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            banner.Should().StartWith("serving ");
            var clone = await CliProcess.RunAsync(dir.Path, environment, "clone", $"http://127.0.0.1:{port}/", dir.File("clone.fossil"));
            clone.Exit.Should().Be(0, clone.Stderr);
            using (var kill = Process.Start("kill", ["-TERM", server.Id.ToString()])) await kill.WaitForExitAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await server.WaitForExitAsync(deadline.Token);
        }
        finally
        {
            if (!server.HasExited) server.Kill();
        }

        var spans = receiver.Spans.ToList();
        var session = spans.Should().ContainSingle(s => s.Name == "fossilsync.clone", "the clone process exports its session").Subject;
        session.Service.Should().Be("fossilsync");
        var trace = spans.Where(s => s.TraceId == session.TraceId).ToList();
        var rounds = trace.Where(s => s.Name == "fossilsync.round").ToList();
        rounds.Should().NotBeEmpty().And.OnlyContain(r => r.ParentSpanId == session.SpanId);
        var serverSpans = trace.Where(s => s.Name.StartsWith("fossilsync.server.", StringComparison.Ordinal)).ToList();
        serverSpans.Should().HaveCount(rounds.Count, "the serve process exports a span per request, in the clone's trace");
        serverSpans.Should().Contain(s => s.Name == "fossilsync.server.clone");
        receiver.Paths.Should().Contain("/v1/metrics", "metrics are exported too");
    }
}
