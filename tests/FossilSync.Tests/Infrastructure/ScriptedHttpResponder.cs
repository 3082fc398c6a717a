using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FossilSync.Tests.Infrastructure;

/// <summary>
/// A one-shot raw HTTP responder on 127.0.0.1 that answers the next request with fixed bytes,
/// or with a script that writes what it likes and may stall or hang up: for redirects,
/// non-fossil replies and broken peers that a real fossil server will not produce on demand.
/// </summary>
public sealed class ScriptedHttpResponder : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    public ScriptedHttpResponder(string response)
        : this(async (stream, _) => await stream.WriteAsync(Encoding.Latin1.GetBytes(response)))
    {
    }

    /// <summary>Runs <paramref name="script"/> on the connection once the request (head and body) is read; the connection closes when it returns.</summary>
    public ScriptedHttpResponder(Func<Stream, CancellationToken, Task> script)
    {
        _listener.Start();
        _serving = Task.Run(async () =>
        {
            using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var stream = client.GetStream();
            var buffer = new byte[65536];
            var received = new MemoryStream();
            int headEnd;
            while ((headEnd = Encoding.Latin1.GetString(received.ToArray()).IndexOf("\r\n\r\n", StringComparison.Ordinal)) < 0)
            {
                int n = await stream.ReadAsync(buffer, _stop.Token);
                if (n == 0) return;
                received.Write(buffer, 0, n);
            }
            RequestHead = Encoding.Latin1.GetString(received.ToArray(), 0, headEnd);
            var length = System.Text.RegularExpressions.Regex.Match(RequestHead, @"(?im)^content-length:\s*(\d+)");
            long bodyBytes = received.Length - headEnd - 4, expected = length.Success ? long.Parse(length.Groups[1].Value) : 0;
            while (bodyBytes < expected)
            {
                int n = await stream.ReadAsync(buffer, _stop.Token);
                if (n == 0) break;
                bodyBytes += n;
            }
            await script(stream, _stop.Token);
        });
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>The request line and headers received.</summary>
    public string RequestHead { get; private set; } = "";

    public Task Served => _serving;

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
