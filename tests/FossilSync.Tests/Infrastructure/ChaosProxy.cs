using System.Net;
using System.Net.Sockets;

namespace FossilSync.Tests.Infrastructure;

/// <summary>What <see cref="ChaosProxy"/> does to one connection.</summary>
public enum ChaosFault
{
    /// <summary>Bytes pass both ways untouched.</summary>
    None,

    /// <summary>The connection is closed before anything reaches the server.</summary>
    Refuse,

    /// <summary>Only the first bytes of the request reach the server, then both sides are cut.</summary>
    CutRequest,

    /// <summary>The whole request reaches the server (which may commit), but only part of its reply comes back.</summary>
    CutReply,

    /// <summary>Every chunk waits a little in each direction.</summary>
    Delay,
}

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of a real server that breaks connections at random: for
/// each new connection a seeded choice says whether and how (<see cref="ChaosFault"/>), and
/// where a cut falls. Timing is real, so a run is not replayable, only its choices are.
/// <see cref="Heal"/> lets everything through from then on.
/// </summary>
public sealed class ChaosProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly Random _random;
    private readonly double _faultProbability;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Dictionary<ChaosFault, int> _counts = [];
    private readonly Task _acceptLoop;
    private volatile bool _healed;

    /// <param name="targetPort">Port of the server on 127.0.0.1.</param>
    /// <param name="seed">Seeds every choice the proxy makes.</param>
    /// <param name="faultProbability">Chance that a connection gets a fault other than <see cref="ChaosFault.None"/>.</param>
    public ChaosProxy(int targetPort, int seed, double faultProbability)
    {
        _targetPort = targetPort;
        _random = new Random(seed);
        _faultProbability = faultProbability;
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Where clients connect.</summary>
    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>How many connections got each fault so far.</summary>
    public IReadOnlyDictionary<ChaosFault, int> Counts
    {
        get { lock (_counts) return new Dictionary<ChaosFault, int>(_counts); }
    }

    /// <summary>No more faults: every later connection passes untouched.</summary>
    public void Heal() => _healed = true;

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _acceptLoop; } catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException) { }
        Task[] open;
        lock (_connections) open = [.. _connections];
        await Task.WhenAll(open);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var (fault, requestLimit, replyLimit, delay) = Choose();
            lock (_counts) _counts[fault] = _counts.GetValueOrDefault(fault) + 1;
            var connection = ServeAsync(client, fault, requestLimit, replyLimit, delay);
            lock (_connections) _connections.Add(connection);
        }
    }

    private (ChaosFault Fault, long RequestLimit, long ReplyLimit, TimeSpan Delay) Choose()
    {
        lock (_random)
        {
            // Drawn whether healed or not, so the draws of later connections do not depend on when Heal came.
            bool faulty = _random.NextDouble() < _faultProbability;
            var fault = (ChaosFault)_random.Next(1, 5);
            // Cuts fall anywhere from the request line to deep into a body of several rounds' worth.
            long requestLimit = _random.Next(2) == 0 ? _random.Next(1, 400) : _random.Next(400, 300_000);
            long replyLimit = _random.Next(2) == 0 ? _random.Next(0, 400) : _random.Next(400, 2_000_000);
            var delay = TimeSpan.FromMilliseconds(_random.Next(1, 40));
            if (!faulty || _healed) fault = ChaosFault.None;
            return fault switch
            {
                ChaosFault.CutRequest => (fault, requestLimit, long.MaxValue, TimeSpan.Zero),
                ChaosFault.CutReply => (fault, long.MaxValue, replyLimit, TimeSpan.Zero),
                ChaosFault.Delay => (fault, long.MaxValue, long.MaxValue, delay),
                _ => (fault, long.MaxValue, long.MaxValue, TimeSpan.Zero),
            };
        }
    }

    private async Task ServeAsync(TcpClient client, ChaosFault fault, long requestLimit, long replyLimit, TimeSpan delay)
    {
        using (client)
        {
            if (fault == ChaosFault.Refuse) return;
            using var server = new TcpClient();
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
                using var cut = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                // Either direction reaching its limit (or its end) closes both: a cut is a cut.
                var up = PumpAsync(client.GetStream(), server.GetStream(), requestLimit, delay, cut);
                var down = PumpAsync(server.GetStream(), client.GetStream(), replyLimit, delay, cut);
                await Task.WhenAny(up, down);
                if (fault != ChaosFault.None && fault != ChaosFault.Delay) await cut.CancelAsync();
                await Task.WhenAll(up, down);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The connection is gone, as intended or because a side hung up: nothing to report.
            }
        }
    }

    // Copies until the source ends or the limit is reached; then shuts the destination's sending side.
    private static async Task PumpAsync(NetworkStream from, NetworkStream to, long limit, TimeSpan delay, CancellationTokenSource cut)
    {
        var buffer = new byte[16 * 1024];
        long passed = 0;
        try
        {
            while (passed < limit)
            {
                int read = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit - passed)), cut.Token);
                if (read == 0) break;
                if (delay > TimeSpan.Zero) await Task.Delay(delay, cut.Token);
                await to.WriteAsync(buffer.AsMemory(0, read), cut.Token);
                passed += read;
            }
            if (passed >= limit)
            {
                await cut.CancelAsync();
                return;
            }
            to.Socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            await cut.CancelAsync();
        }
    }
}
