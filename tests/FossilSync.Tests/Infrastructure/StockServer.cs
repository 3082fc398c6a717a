using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FossilSync.Tests.Infrastructure;

/// <summary>A real <c>fossil server</c> on 127.0.0.1 serving one repository; stopped on dispose.</summary>
public sealed class StockServer : IDisposable
{
    private readonly Process _process;

    public StockServer(string repositoryPath)
    {
        Port = FreePort();
        var psi = new ProcessStartInfo(StockFossil.Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(repositoryPath)!,
        };
        foreach (string a in new[] { "server", "--port", Port.ToString(), "--localhost", repositoryPath }) psi.ArgumentList.Add(a);
        psi.Environment["USER"] = "fossilsync-test";
        psi.Environment["HOME"] = psi.WorkingDirectory;
        _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start fossil server");
        WaitUntilListening();
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public void Dispose()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.WaitForExit(5000);
        _process.Dispose();
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private void WaitUntilListening()
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"fossil server exited: {_process.StandardError.ReadToEnd()}");
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
        throw new TimeoutException($"fossil server did not listen on port {Port}");
    }
}
