using FossilSync.EndToEnd.Generation;
using FossilSync.EndToEnd.Measurement;

namespace FossilSync.EndToEnd.Scenarios;

/// <summary>
/// Runs one side of one scenario once, in a folder of its own under <paramref name="workRoot"/>:
/// fresh copies of the repositories, the server (if any) behind a <see cref="CountingProxy"/>,
/// the client (or the plan's several clients at once) timed by <see cref="TimedCommand"/>, then
/// the usability check of each. A failure of any step becomes the run's <see cref="RunResult.Failure"/>, never an exception.
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
        string serverPath = Path.Combine(folder, "server.fossil");
        if (plan.ServerRepository is not null) File.Copy(plan.ServerRepository, serverPath);
        var clients = Enumerable.Range(1, plan.Clients).Select(i => ClientPlace(folder, plan.Clients, i)).ToList();
        foreach (var client in clients)
        {
            Directory.CreateDirectory(client.Folder);
            if (plan.ClientRepository is not null) File.Copy(plan.ClientRepository, client.Repository);
        }

        ServerProcess? server = null;
        CountingProxy? proxy = null;
        CommandOutcome[]? outcomes = null;
        RunContext[]? contexts = null;
        string? failure = null;
        double? serverCpu = null;
        try
        {
            int port = 0;
            if (plan.ServerCommand is not null)
            {
                server = ServerProcess.Start([.. plan.ServerCommand.Select(a => a.Replace("{repo}", serverPath, StringComparison.Ordinal))], folder, Environment(folder));
                proxy = new CountingProxy(server.Port);
                port = proxy.Port;
                await Task.Delay(ReapDelay);   // the readiness probe's child, if any, is reaped
            }
            contexts = [.. clients.Select(client => new RunContext($"http://127.0.0.1:{port}/",
                $"http://{BenchmarkRepositories.User}:{BenchmarkRepositories.Password}@127.0.0.1:{port}/", client.Repository, serverPath, client.Folder))];
            double serverCpuBefore = server?.CpuSeconds() ?? 0;
            outcomes = await Task.WhenAll(contexts.Select(context => Task.Factory.StartNew(
                () => TimedCommand.Run(context.Folder, Environment(context.Folder), plan.ClientCommand(context), timeout),
                TaskCreationOptions.LongRunning)));
            if (server is not null)
            {
                await Task.Delay(ReapDelay);
                serverCpu = server.CpuSeconds() - serverCpuBefore;
            }
            failure = Failures(outcomes.Select(outcome => outcome.Succeeded ? null
                : $"exit {outcome.ExitCode}: {UsabilityChecks.Tail(outcome.Stderr + "\n" + outcome.Stdout)}"));
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

        if (failure is null && outcomes is not null && contexts is not null)
        {
            failure = Failures(contexts.Select((context, i) =>
            {
                try
                {
                    return plan.Check(context, outcomes[i].Stdout);
                }
                catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
                {
                    return $"check failed: {ex.Message}";
                }
            }));
        }
        string? detail = null;
        if (plan.Inspect is not null && outcomes is not null && contexts is not null)
        {
            try
            {
                var inspection = plan.Inspect(contexts[0]);
                detail = inspection.Description;
                failure ??= inspection.Failure;
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                failure ??= $"inspection failed: {ex.Message}";
            }
        }
        string clientPath = clients[0].Repository;
        long? clientBytes = File.Exists(clientPath) ? new FileInfo(clientPath).Length : null;
        if (failure is null) Directory.Delete(folder, recursive: true);
        else failure += $" (left in {folder})";
        return new RunResult(scenario.Name, side, repetition, Combined(outcomes), proxy?.BytesSent ?? 0, proxy?.BytesReceived ?? 0, serverCpu, failure, detail, clientBytes);
    }

    /// <summary>
    /// fossil needs a user name, and must not read or write the real ~/.fossil (nor share one
    /// between clients running at once).
    /// </summary>
    private static Dictionary<string, string> Environment(string home) => new()
    {
        ["USER"] = BenchmarkRepositories.User,
        ["HOME"] = home,
    };

    /// <summary>A lone client works in the run's folder; each of several in a folder of its own.</summary>
    private static (string Folder, string Repository) ClientPlace(string folder, int clients, int index)
    {
        string place = clients == 1 ? folder : Path.Combine(folder, $"client-{index}");
        return (place, Path.Combine(place, "client.fossil"));
    }

    /// <summary>Null when every client did well; else how many failed and the first failure.</summary>
    private static string? Failures(IEnumerable<string?> perClient)
    {
        var failed = perClient.Select((failure, i) => (failure, i)).Where(f => f.failure is not null).ToList();
        if (failed.Count == 0) return null;
        var (first, index) = failed[0];
        return failed.Count == 1 && index == 0 ? first : $"{failed.Count} clients failed; client {index + 1}: {first}";
    }

    /// <summary>
    /// The clients' cost as one: the longest wall time, the CPU of all, the highest peak; null
    /// when any client has no cost (killed, or <c>time</c> wrote nothing).
    /// </summary>
    private static ProcessCost? Combined(CommandOutcome[]? outcomes)
    {
        if (outcomes is null || outcomes.Any(o => o.Cost is null)) return null;
        var costs = outcomes.Select(o => o.Cost!).ToList();
        return new ProcessCost(costs.Max(c => c.WallSeconds), costs.Sum(c => c.CpuSeconds), costs.Max(c => c.PeakRssKb));
    }

    private static string Slug(string name) =>
        System.Text.RegularExpressions.Regex.Replace(name, "[^A-Za-z0-9]+", "-").Trim('-');
}
