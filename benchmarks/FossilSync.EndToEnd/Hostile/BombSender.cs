using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FossilSync.EndToEnd.Hostile;

/// <summary>
/// Sends one bomb as a single HTTP/1.0 POST on a fresh connection, writing the body in pieces
/// while the reply is read at the same time: a server may answer (and close) before it has read
/// the whole body, and then the broken pipe that ends the writing is expected, not a failure.
/// A raw socket rather than <c>HttpClient</c>, so such an early answer is never lost to the
/// send's exception.
/// </summary>
internal static class BombSender
{
    private const int ChunkSize = 64 * 1024;
    private const int MaxReplyBytes = 4 * 1024 * 1024;

    public static async Task<BombReply> SendAsync(int port, byte[] body, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        using var timer = new CancellationTokenSource(timeout);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timer.Token);
            string head = string.Create(CultureInfo.InvariantCulture,
                $"POST / HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: FossilSync.EndToEnd bombs\r\nContent-Type: application/x-fossil\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
            await socket.SendAsync(Encoding.ASCII.GetBytes(head), SocketFlags.None, timer.Token);

            using var stopWriting = CancellationTokenSource.CreateLinkedTokenSource(timer.Token);
            var writing = WriteBodyAsync(socket, body, stopWriting.Token);
            var response = await ReadToCloseAsync(socket, timer.Token);
            double wall = clock.Elapsed.TotalSeconds;
            await stopWriting.CancelAsync();
            string? writeFailure = await FailureOf(writing);
            if (response.Length == 0)
            {
                return BombReply.NoReply($"connection closed without a reply{(writeFailure is null ? "" : $" ({writeFailure})")}", wall);
            }
            return BombReply.Parse(response, wall);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested)
        {
            return BombReply.NoReply($"timeout after {timeout.TotalSeconds:0} s", clock.Elapsed.TotalSeconds, timedOut: true);
        }
        catch (SocketException ex)
        {
            return BombReply.NoReply($"socket error: {ex.SocketErrorCode}", clock.Elapsed.TotalSeconds);
        }
    }

    private static async Task WriteBodyAsync(Socket socket, byte[] body, CancellationToken cancel)
    {
        for (int offset = 0; offset < body.Length; offset += ChunkSize)
        {
            await socket.SendAsync(body.AsMemory(offset, Math.Min(ChunkSize, body.Length - offset)), SocketFlags.None, cancel);
        }
    }

    /// <summary>Null when the body went out whole, else why the writing stopped (the server closed, or the reply came first).</summary>
    private static async Task<string?> FailureOf(Task writing)
    {
        try
        {
            await writing;
            return null;
        }
        catch (OperationCanceledException)
        {
            return "body not fully sent";
        }
        catch (SocketException ex)
        {
            return $"body not fully sent: {ex.SocketErrorCode}";
        }
    }

    /// <summary>Everything the server sends until it closes; a reset after some of the reply keeps what came.</summary>
    private static async Task<byte[]> ReadToCloseAsync(Socket socket, CancellationToken cancel)
    {
        var received = new MemoryStream();
        byte[] buffer = new byte[ChunkSize];
        try
        {
            while (received.Length < MaxReplyBytes)
            {
                int n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancel);
                if (n == 0) break;
                received.Write(buffer, 0, n);
            }
        }
        catch (SocketException) when (received.Length > 0)
        {
        }
        return received.ToArray();
    }
}
