using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NATS.Client.Core;

namespace FossilSync.Tests.Infrastructure;

/// <summary>
/// A real <c>nats-server</c> on 127.0.0.1 with a free port (optionally a small
/// <c>max_payload</c>, or a member of a cluster); stopped on dispose. The NATS tests depend on
/// it and fail (never skip) when it is missing, as the interop tests do for stock fossil:
/// <c>./test.sh</c> and <c>.ci/run</c> install it with apt-get.
/// </summary>
public sealed class NatsServerFixture : IDisposable
{
    private static readonly Lazy<string> ExecutablePath = new(Locate);
    private readonly TempDirectory _folder = new();
    private readonly string _config;
    private Process? _process;

    /// <param name="maxPayload">The server's <c>max_payload</c> in bytes; null for its default (1 MB).</param>
    /// <param name="clusterPort">This member's cluster port, with <paramref name="routes"/> to the others; null for a lone server.</param>
    /// <param name="routes">Cluster ports of the other members.</param>
    public NatsServerFixture(int? maxPayload = null, int? clusterPort = null, IEnumerable<int>? routes = null)
    {
        Port = StockServer.FreePort();
        var lines = new List<string> { "listen: 127.0.0.1:" + Port };
        if (maxPayload is int max) lines.Add("max_payload: " + max);
        if (clusterPort is int cluster)
        {
            lines.Add("cluster {");
            lines.Add("  name: fossilsync-test");
            lines.Add("  listen: 127.0.0.1:" + cluster);
            lines.Add("  routes: [" + string.Join(", ", (routes ?? []).Select(p => "nats-route://127.0.0.1:" + p)) + "]");
            lines.Add("}");
        }
        _config = _folder.File("nats.conf");
        File.WriteAllLines(_config, lines);
        Start();
    }

    /// <summary>The client port.</summary>
    public int Port { get; }

    /// <summary>The client URL.</summary>
    public string Url => $"nats://127.0.0.1:{Port}";

    /// <summary>Path of nats-server; throws with instructions when it is not installed.</summary>
    public static string Executable => ExecutablePath.Value;

    /// <summary>A new connection to this server (the caller disposes it), connected.</summary>
    public async Task<NatsConnection> ConnectAsync(Func<NatsOpts, NatsOpts>? configure = null)
    {
        var options = NatsOpts.Default with { Url = Url, Name = "fossilsync-test", ReconnectWaitMin = TimeSpan.FromMilliseconds(50), ReconnectWaitMax = TimeSpan.FromMilliseconds(200) };
        var connection = new NatsConnection(configure is null ? options : configure(options));
        await connection.ConnectAsync();
        return connection;
    }

    /// <summary>Starts the server (again, on the same port, after <see cref="Stop"/>).</summary>
    public void Start()
    {
        var psi = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(_config);
        _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start nats-server");
        // Drain its log so a chatty server never blocks on a full pipe.
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitUntilListening();
    }

    /// <summary>Kills the server at once (clients see the connection drop).</summary>
    public void Stop()
    {
        if (_process is null) return;
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.WaitForExit(5000);
        _process.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        Stop();
        _folder.Dispose();
    }

    private void WaitUntilListening()
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited) throw new InvalidOperationException($"nats-server exited with {_process.ExitCode} (config {File.ReadAllText(_config)})");
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        throw new TimeoutException($"nats-server did not listen on {Port} within 15 s");
    }

    private static string Locate()
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/sbin").Append("/usr/local/sbin");
        foreach (string folder in folders)
        {
            string candidate = Path.Combine(folder, "nats-server");
            if (File.Exists(candidate)) return candidate;
        }
        string how = Environment.GetEnvironmentVariable("CI") == "true"
            ? "CI must install it before the tests run (.ci/run does: apt-get install -y nats-server)"
            : "run the README's test command (./test.sh installs it with apt-get) or `apt-get install -y nats-server`";
        throw new InvalidOperationException($"nats-server is not installed, and the NATS tests need a real one: {how}.");
    }
}

/// <summary>Three <c>nats-server</c>s routed into one cluster; a message published on one reaches subscribers on the others.</summary>
public sealed class NatsClusterFixture : IDisposable
{
    public NatsClusterFixture(int members = 3)
    {
        int[] clusterPorts = Enumerable.Range(0, members).Select(_ => StockServer.FreePort()).ToArray();
        Members = clusterPorts.Select((port, i) => new NatsServerFixture(clusterPort: port, routes: clusterPorts.Where((_, j) => j != i))).ToArray();
    }

    public IReadOnlyList<NatsServerFixture> Members { get; }

    /// <summary>Waits until a subscription made on every member is seen from every other (the routes are up).</summary>
    public async Task WaitUntilRoutedAsync()
    {
        var connections = new List<NatsConnection>();
        try
        {
            foreach (var member in Members) connections.Add(await member.ConnectAsync());
            var deadline = DateTime.UtcNow.AddSeconds(20);
            string subject = "routes.probe." + Guid.NewGuid().ToString("N");
            await using var sub = await connections[0].SubscribeCoreAsync<byte[]>(subject);
            await connections[0].PingAsync();
            while (DateTime.UtcNow < deadline)
            {
                bool all = true;
                foreach (var other in connections.Skip(1))
                {
                    try
                    {
                        await other.RequestAsync<byte[], byte[]>(subject + ".x", [], replyOpts: new NatsSubOpts { Timeout = TimeSpan.FromMilliseconds(200) });
                    }
                    catch (NatsException)
                    {
                    }
                    // A publish from this member reaches member 0's subscription once routed.
                    await other.PublishAsync(subject, new byte[] { 1 });
                    using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
                    try { await sub.Msgs.ReadAsync(wait.Token); }
                    catch (OperationCanceledException) { all = false; }
                }
                if (all) return;
                await Task.Delay(100);
            }
            throw new TimeoutException("the NATS cluster's routes did not come up in 20 s");
        }
        finally
        {
            foreach (var connection in connections) await connection.DisposeAsync();
        }
    }

    public void Dispose()
    {
        foreach (var member in Members) member.Dispose();
    }
}
