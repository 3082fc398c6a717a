using FossilSync.Cli;
using FossilSync.Repo;
using FossilSync.Tests.Infrastructure;
using FossilSync.Tests.Nats;
using NATS.Client.Core;

namespace FossilSync.Tests.Cli;

/// <summary><c>serve --nats</c>, remote commands on <c>nats://</c> URLs and <c>watch</c>, against a real nats-server and stock fossil.</summary>
public sealed class CliNatsTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _served;
    private readonly string _code;

    public CliNatsTests()
    {
        _served = _dir.File("served.fossil");
        StockRepositoryBuilder.Build(_served, commits: 8, seed: 2301);
        StockFossil.Ok(_dir.Path, "user", "new", "alice", "", "secret", "-R", _served);
        StockFossil.Ok(_dir.Path, "user", "capabilities", "alice", "oi", "-R", _served);
        using var repository = Repository.Open(_served);
        _code = repository.ProjectCode;
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Serve_with_nats_answers_fossilsync_over_nats_and_stock_fossil_over_http_and_announces_both()
    {
        using var nats = new NatsServerFixture();
        int port = StockServer.FreePort();
        await using var serve = Background.Start("serve", _served, "--port", port.ToString(), "--nats", nats.Url);
        await serve.WaitForOutputAsync("serving " + _served + " at");
        await using var listener = await nats.ConnectAsync();
        await using var notices = await listener.SubscribeCoreAsync<byte[]>($"fossil.{_code}.changed");
        await listener.PingAsync();
        string natsUrl = $"nats://alice:secret@127.0.0.1:{nats.Port}/{_code}";

        string copy = _dir.File("copy.fossil");
        var clone = await Run("clone", natsUrl, copy);
        clone.Exit.Should().Be(0, clone.Stderr);
        clone.Stdout.Should().Contain("project-id: " + _code);
        NatsTransportTests.Artifacts(copy).Should().Equal(NatsTransportTests.Artifacts(_served));

        // A check-in pushed over NATS is stored and announced.
        StockFossil.CommitInCheckout(copy, _dir.File("work1"), "nats.txt", "over nats\n", "pushed over nats", "alice");
        var push = await Run("push", natsUrl, copy);
        push.Exit.Should().Be(0, push.Stderr);
        NatsTransportTests.Artifacts(_served).Should().Equal(NatsTransportTests.Artifacts(copy));
        (await NextNoticeAsync(notices)).Should().NotBeEmpty();

        // Stock fossil over HTTP, against the same hub: clone, then push, which is announced on NATS too.
        string stockCopy = _dir.File("stock.fossil");
        StockFossil.Ok(_dir.Path, "clone", "-A", "alice", $"http://alice:secret@127.0.0.1:{port}/", stockCopy);
        NatsTransportTests.Artifacts(stockCopy).Should().Equal(NatsTransportTests.Artifacts(_served));
        StockFossil.CommitInCheckout(stockCopy, _dir.File("work2"), "http.txt", "over http\n", "pushed by stock fossil", "alice");
        StockFossil.Ok(_dir.Path, "push", "-R", stockCopy, $"http://alice:secret@127.0.0.1:{port}/");
        var announced = await NextNoticeAsync(notices);
        NatsTransportTests.Artifacts(_served).Should().Contain(announced).And.Equal(NatsTransportTests.Artifacts(stockCopy));
    }

    [Fact]
    public async Task Watch_keeps_a_repository_in_step_until_stopped()
    {
        using var nats = new NatsServerFixture();
        await using var serve = Background.Start("serve", _served, "--port", StockServer.FreePort().ToString(), "--nats", nats.Url);
        await serve.WaitForOutputAsync("serving " + _served + " at");
        string natsUrl = $"nats://alice:secret@127.0.0.1:{nats.Port}/{_code}";
        string watched = _dir.File("watched.fossil"), writer = _dir.File("writer.fossil");
        (await Run("clone", natsUrl, watched)).Exit.Should().Be(0);
        (await Run("clone", natsUrl, writer)).Exit.Should().Be(0);

        await using var watch = Background.Start("watch", natsUrl, watched);
        await watch.WaitForOutputAsync("synced:");
        StockFossil.CommitInCheckout(writer, _dir.File("work"), "later.txt", "later\n", "while watched", "alice");
        (await Run("push", natsUrl, writer)).Exit.Should().Be(0);

        await Polling.WaitUntilAsync(() => NatsTransportTests.Artifacts(watched).SequenceEqual(NatsTransportTests.Artifacts(writer)), "the watched copy should follow the push");
        (await watch.StopAsync()).Should().Be(0, "stopping is watch's normal end");
    }

    [Fact]
    public async Task A_nats_url_without_a_project_code_is_a_usage_error()
    {
        var run = await Run("clone", "nats://127.0.0.1:4222/", _dir.File("x.fossil"));
        run.Exit.Should().Be(2);
        run.Stderr.TrimEnd('\n').Split('\n').Should().ContainSingle().Which.Should().Contain("names no project");
        File.Exists(_dir.File("x.fossil")).Should().BeFalse();
    }

    private static async Task<string[]> NextNoticeAsync(INatsSub<byte[]> notices)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var message = await notices.Msgs.ReadAsync(timeout.Token);
        message.Headers!["Fossil-Hub"].ToString().Should().NotBeEmpty();
        return System.Text.Encoding.ASCII.GetString(message.Data ?? []).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = await CommandLine.RunAsync(args, stdout, stderr, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A command that runs until stopped (serve, watch), in-process, cancelled like Ctrl+C.</summary>
    private sealed class Background : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly StringWriter _stdout = new(), _stderr = new();
        private readonly TextWriter _out, _err;
        private readonly Task<int> _run;

        private Background(string[] args)
        {
            _out = TextWriter.Synchronized(_stdout);
            _err = TextWriter.Synchronized(_stderr);
            _run = Task.Run(() => CommandLine.RunAsync(args, _out, _err, _stop.Token));
        }

        public static Background Start(params string[] args) => new(args);

        public async Task WaitForOutputAsync(string text)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!Output().Contains(text, StringComparison.Ordinal))
            {
                if (_run.IsCompleted) throw new InvalidOperationException($"the command ended ({await _run}): {Output()} {Errors()}");
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"no '{text}' in 30 s: {Output()} {Errors()}");
                await Task.Delay(50);
            }
        }

        public async Task<int> StopAsync()
        {
            await _stop.CancelAsync();
            return await _run.WaitAsync(TimeSpan.FromSeconds(30));
        }

        public async ValueTask DisposeAsync()
        {
            if (!_run.IsCompleted) await StopAsync();
            _stop.Dispose();
        }

        private string Output() { lock (_out) return _stdout.ToString(); }

        private string Errors() { lock (_err) return _stderr.ToString(); }
    }
}
