using FossilSync.EndToEnd.Generation;
using FossilSync.EndToEnd.Measurement;
using FossilSync.EndToEnd.Scenarios;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.EndToEnd.Load;

/// <summary>How hard and how long each server is loaded.</summary>
internal sealed record LoadSettings(int Clients, TimeSpan WarmUp, TimeSpan Window);

/// <summary>
/// Runs the no-op sync load against one server once, in a folder of its own under
/// <paramref name="workRoot"/>: the server (ours or stock) on a fresh copy of <c>base.fossil</c>,
/// a real stock <c>fossil sync</c> of a fresh copy of the clone before the load and another
/// after it (the server must still work, and the replayed request must be what a real client
/// gets through with), then <see cref="LoadGenerator"/>. Servers run one at a time, so the one
/// measured has both cores (shared with the load generator, the same for both).
/// </summary>
internal sealed class LoadRunner(string workRoot, BenchmarkRepositories repositories, Toolchain tools, NoOpSync sync, LoadSettings settings)
{
    public const string Name = "no-op sync under load";

    public async Task<LoadResult> RunAsync(Side side, int repetition)
    {
        string folder = Path.Combine(workRoot, $"load-{side}-{repetition}".ToLowerInvariant());
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        var environment = new Dictionary<string, string> { ["USER"] = BenchmarkRepositories.User, ["HOME"] = folder };
        string serverPath = Path.Combine(folder, "server.fossil");
        File.Copy(repositories.Base, serverPath);
        var command = side == Side.Ours ? tools.OurServer : tools.StockServer;

        LoadSample? sample = null;
        string? failure;
        try
        {
            using var server = ServerProcess.Start([.. command.Select(a => a.Replace("{repo}", serverPath, StringComparison.Ordinal))], folder, environment);
            failure = SanitySync(folder, server.Port, "before the load");
            if (failure is null)
            {
                sample = await LoadGenerator.RunAsync(new Uri($"http://127.0.0.1:{server.Port}/"), sync.Requests,
                    settings.Clients, settings.WarmUp, settings.Window, server.CpuSeconds);
                failure = SanitySync(folder, server.Port, "after the load");
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException)
        {
            failure = ex.Message;
        }
        if (failure is null && sample is { Failed: > 0 })
        {
            failure = $"{sample.Failed} of {sample.Completed + sample.Failed} syncs failed: {string.Join("; ", sample.FailureExamples)}";
        }
        if (failure is null) Directory.Delete(folder, recursive: true);
        else failure += $" (left in {folder})";
        return new LoadResult(side, repetition, sample, failure);
    }

    /// <summary>A real stock <c>fossil sync</c> of a fresh copy of the clone: null when it succeeds with nothing to exchange.</summary>
    private string? SanitySync(string folder, int port, string when)
    {
        string clientPath = Path.Combine(folder, "client.fossil");
        File.Copy(repositories.Cloned, clientPath, overwrite: true);
        var result = StockFossil.Run(folder, NoOpSync.SyncArguments(NoOpSync.AdminUrl(port), clientPath));
        string output = result.Stdout + result.Stderr;
        if (result.ExitCode != 0) return $"fossil sync {when} failed (exit {result.ExitCode}): {UsabilityChecks.Tail(output)}";
        if (!NoOpSync.NothingExchanged.IsMatch(output)) return $"fossil sync {when} was not a no-op: {UsabilityChecks.Tail(output)}";
        File.Delete(clientPath);
        return null;
    }
}
