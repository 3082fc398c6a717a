using FossilSync.EndToEnd.Generation;
using FossilSync.EndToEnd.Measurement;

namespace FossilSync.EndToEnd.Scenarios;

/// <summary>
/// Runs one side of one scenario once, in a folder of its own under <paramref name="workRoot"/>:
/// fresh copies of the repositories, the server (if any) behind a <see cref="CountingProxy"/>,
/// the client timed by <see cref="TimedCommand"/>, then the usability check. A failure of any
/// step becomes the run's <see cref="RunResult.Failure"/>, never an exception.
/// </summary>
internal sealed class ScenarioRunner(string workRoot, TimeSpan timeout)
{
    private static readonly TimeSpan ReapDelay = TimeSpan.FromMilliseconds(300);

    public async Task<RunResult> RunAsync(Scenario scenario, Side side, int repetition)
    {
        var plan = scenario.Plan(side);
        string folder = Path.Combine(workRoot, $"{Slug(scenario.Name)}-{side}-{repetition}".ToLowerInvariant());
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        var environment = new Dictionary<string, string>
        {
            // fossil needs a user name, and must not read or write the real ~/.fossil.
            ["USER"] = BenchmarkRepositories.User,
            ["HOME"] = folder,
        };
        string serverPath = Path.Combine(folder, "server.fossil"), clientPath = Path.Combine(folder, "client.fossil");
        if (plan.ServerRepository is not null) File.Copy(plan.ServerRepository, serverPath);
        if (plan.ClientRepository is not null) File.Copy(plan.ClientRepository, clientPath);

        ServerProcess? server = null;
        CountingProxy? proxy = null;
        CommandOutcome? outcome = null;
        RunContext? context = null;
        string? failure = null;
        double? serverCpu = null;
        try
        {
            int port = 0;
            if (plan.ServerCommand is not null)
            {
                server = ServerProcess.Start([.. plan.ServerCommand.Select(a => a.Replace("{repo}", serverPath, StringComparison.Ordinal))], folder, environment);
                proxy = new CountingProxy(server.Port);
                port = proxy.Port;
                await Task.Delay(ReapDelay);   // the readiness probe's child, if any, is reaped
            }
            context = new RunContext($"http://127.0.0.1:{port}/",
                $"http://{BenchmarkRepositories.User}:{BenchmarkRepositories.Password}@127.0.0.1:{port}/", clientPath, serverPath, folder);
            var command = plan.ClientCommand(context);
            double serverCpuBefore = server?.CpuSeconds() ?? 0;
            outcome = await Task.Factory.StartNew(() => TimedCommand.Run(folder, environment, command, timeout), TaskCreationOptions.LongRunning);
            if (server is not null)
            {
                await Task.Delay(ReapDelay);
                serverCpu = server.CpuSeconds() - serverCpuBefore;
            }
            if (!outcome.Succeeded)
            {
                failure = $"exit {outcome.ExitCode}: {UsabilityChecks.Tail(outcome.Stderr + "\n" + outcome.Stdout)}";
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or System.Net.Sockets.SocketException)
        {
            failure = ex.Message;
        }
        finally
        {
            if (proxy is not null) await proxy.DisposeAsync();
            server?.Dispose();
        }

        if (failure is null && outcome is not null && context is not null)
        {
            try
            {
                failure = plan.Check(context, outcome.Stdout);
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                failure = $"check failed: {ex.Message}";
            }
        }
        string? detail = null;
        if (plan.Inspect is not null && outcome is not null && context is not null)
        {
            try
            {
                var inspection = plan.Inspect(context);
                detail = inspection.Description;
                failure ??= inspection.Failure;
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                failure ??= $"inspection failed: {ex.Message}";
            }
        }
        long? clientBytes = File.Exists(clientPath) ? new FileInfo(clientPath).Length : null;
        if (failure is null) Directory.Delete(folder, recursive: true);
        else failure += $" (left in {folder})";
        return new RunResult(scenario.Name, side, repetition, outcome?.Cost, proxy?.BytesSent ?? 0, proxy?.BytesReceived ?? 0, serverCpu, failure, detail, clientBytes);
    }

    private static string Slug(string name) =>
        System.Text.RegularExpressions.Regex.Replace(name, "[^A-Za-z0-9]+", "-").Trim('-');
}
