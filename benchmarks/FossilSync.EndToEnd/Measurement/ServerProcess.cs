using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FossilSync.EndToEnd.Measurement;

/// <summary>
/// A sync server in its own process on a free loopback port: stock <c>fossil server</c> or
/// <c>fossilsync serve</c>. Started, waited for until the port accepts connections, and stopped
/// (this process only, by its id) when disposed.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Starts <paramref name="command"/>, in which <c>{port}</c> stands for the chosen port.</summary>
    public static ServerProcess Start(IReadOnlyList<string> command, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        int port = FreePort();
        var psi = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in command.Skip(1)) psi.ArgumentList.Add(a.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {command[0]}");
        var server = new ServerProcess(process, port);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            server.WaitUntilListening(TimeSpan.FromSeconds(60));
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private void WaitUntilListening(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the server exited ({_process.ExitCode}) before listening:\n{Output}");
            }
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (clock.Elapsed < timeout)
            {
                Thread.Sleep(50);
            }
        }
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            // Stock fossil server forks one child per connection: stop those too.
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
