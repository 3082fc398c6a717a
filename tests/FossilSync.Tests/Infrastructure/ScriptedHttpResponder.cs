using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FossilSync.Tests.Infrastructure;

/// <summary>
/// A one-shot raw HTTP responder on 127.0.0.1 that answers the next request with fixed bytes:
/// for redirects and non-fossil replies that a real fossil server will not produce on demand.
/// </summary>
public sealed class ScriptedHttpResponder : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Task _serving;

    public ScriptedHttpResponder(string response)
    {
        _listener.Start();
        _serving = Task.Run(async () =>
        {
            using var client = await _listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var buffer = new byte[65536];
            var received = new StringBuilder();
            while (!received.ToString().Contains("\r\n\r\n"))
            {
                int n = await stream.ReadAsync(buffer);
                if (n == 0) break;
                received.Append(Encoding.Latin1.GetString(buffer, 0, n));
            }
            RequestHead = received.ToString();
            await stream.WriteAsync(Encoding.Latin1.GetBytes(response));
        });
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>The request line and headers received.</summary>
    public string RequestHead { get; private set; } = "";

    public Task Served => _serving;

    public void Dispose() => _listener.Stop();
}
