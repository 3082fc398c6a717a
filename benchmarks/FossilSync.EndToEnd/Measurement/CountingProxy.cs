using System.Net;
using System.Net.Sockets;

namespace FossilSync.EndToEnd.Measurement;

/// <summary>
/// A loopback TCP forwarder between a client and a server that counts the bytes going each way:
/// what the client sent and what it received, whatever HTTP framing or compression either side
/// uses. The client is pointed at <see cref="Port"/>. With <c>record</c> it also keeps what the
/// client sent on each connection, so a real client's requests can be replayed later.
/// </summary>
internal sealed class CountingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly List<MemoryStream>? _recordings;
    private readonly Task _acceptLoop;
    private long _sent;
    private long _received;

    public CountingProxy(int targetPort, bool record = false)
    {
        _targetPort = targetPort;
        _recordings = record ? [] : null;
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Bytes from the client to the server.</summary>
    public long BytesSent => Interlocked.Read(ref _sent);

    /// <summary>Bytes from the server to the client.</summary>
    public long BytesReceived => Interlocked.Read(ref _received);

    /// <summary>
    /// What the client sent, one entry per connection in the order they were accepted; complete
    /// once the proxy is disposed. Empty unless recording.
    /// </summary>
    public IReadOnlyList<byte[]> ClientStreams
    {
        get
        {
            if (_recordings is null) return [];
            lock (_recordings) return [.. _recordings.Select(r => { lock (r) return r.ToArray(); })];
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                MemoryStream? recording = null;
                if (_recordings is not null)
                {
                    recording = new MemoryStream();
                    lock (_recordings) _recordings.Add(recording);
                }
                lock (_connections) _connections.Add(ForwardAsync(client, recording));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ForwardAsync(TcpClient client, MemoryStream? recording)
    {
        using (client)
        using (var server = new TcpClient())
        {
            client.NoDelay = true;
            server.NoDelay = true;
            await server.ConnectAsync(IPAddress.Loopback, _targetPort);
            await Task.WhenAll(
                PumpAsync(client.Client, server.Client, (data, count) =>
                {
                    Interlocked.Add(ref _sent, count);
                    if (recording is not null) lock (recording) recording.Write(data, 0, count);
                }),
                PumpAsync(server.Client, client.Client, (_, count) => Interlocked.Add(ref _received, count)));
        }
    }

    private static async Task PumpAsync(Socket from, Socket to, Action<byte[], int> count)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                count(buffer, read);
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // One side hung up abruptly: the other direction ends on its own.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        Task[] open;
        lock (_connections) open = [.. _connections];
        // Connections the client left open (keep-alive) end when the server stops; do not wait forever.
        await Task.WhenAny(Task.WhenAll(open), Task.Delay(TimeSpan.FromSeconds(2)));
        _stop.Dispose();
    }
}
