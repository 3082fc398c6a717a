using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FossilSync.NatsBench;

/// <summary>A nats-server on 127.0.0.1 and a free port for the length of one run.</summary>
internal sealed class NatsServerProcess : IDisposable
{
    private readonly Process _process;

    public NatsServerProcess()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        string executable = new[] { "/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nats-server is not installed (apt-get install -y nats-server)");
        var psi = new ProcessStartInfo(executable, ["-a", "127.0.0.1", "-p", Port.ToString()]) { RedirectStandardError = true, RedirectStandardOutput = true };
        _process = Process.Start(psi)!;
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        for (int i = 0; i < 200; i++)
        {
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
        throw new TimeoutException("nats-server did not start");
    }

    public int Port { get; }

    public string Url => $"nats://127.0.0.1:{Port}";

    public void Dispose()
    {
        _process.Kill();
        _process.WaitForExit(5000);
        _process.Dispose();
    }
}
