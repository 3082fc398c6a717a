using System.Text.RegularExpressions;
using FossilSync.EndToEnd.Generation;
using FossilSync.EndToEnd.Measurement;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.EndToEnd.Load;

/// <summary>
/// What stock <c>fossil sync</c> of an up-to-date clone sends, as the admin: recorded once on
/// the wire (a recording <see cref="CountingProxy"/> in front of a stock <c>fossil server</c>), so
/// the load test replays a real client's requests byte for byte rather than ones we composed.
/// Replaying is valid: the login card's nonce is the SHA1 of the rest of the payload, and
/// fossil servers keep no memory of nonces seen. <c>clone.fossil</c> is a stock clone of
/// <c>base.fossil</c>, so the sync has nothing to do; the capture checks that it did nothing.
/// </summary>
internal sealed record NoOpSync(IReadOnlyList<RecordedRequest> Requests)
{
    public static async Task<NoOpSync> CaptureAsync(BenchmarkRepositories repositories, Toolchain tools, string folder)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        string serverPath = Path.Combine(folder, "server.fossil"), clientPath = Path.Combine(folder, "client.fossil");
        File.Copy(repositories.Base, serverPath);
        File.Copy(repositories.Cloned, clientPath);
        var environment = new Dictionary<string, string> { ["USER"] = BenchmarkRepositories.User, ["HOME"] = folder };

        FossilResult sync;
        IReadOnlyList<byte[]> connections;
        using (var server = ServerProcess.Start([.. tools.StockServer.Select(a => a.Replace("{repo}", serverPath, StringComparison.Ordinal))], folder, environment))
        {
            var proxy = new CountingProxy(server.Port, record: true);
            await using (proxy)
            {
                sync = StockFossil.Run(folder, SyncArguments(AdminUrl(proxy.Port), clientPath));
            }
            connections = proxy.ClientStreams;
        }
        string output = sync.Stdout + sync.Stderr;
        if (sync.ExitCode != 0) throw new InvalidOperationException($"the stock sync to record failed (exit {sync.ExitCode}): {output}");
        if (!NothingExchanged.IsMatch(output)) throw new InvalidOperationException($"the recorded sync was not a no-op; is clone.fossil up to date with base.fossil? {output}");

        // Only the client went through the proxy (the readiness probe connects to the server itself).
        var requests = connections.Where(c => c.Length > 0).SelectMany(RecordedRequest.ParseAll).ToList();
        if (requests.Count == 0) throw new InvalidOperationException("the recorded sync sent no request");
        if (requests.FirstOrDefault(r => r.Method != "POST" || !r.ContentType.StartsWith("application/x-fossil", StringComparison.Ordinal)) is { } odd)
        {
            throw new InvalidOperationException($"the recorded sync sent {odd.Method} {odd.Path} ({odd.ContentType}), not a sync request");
        }
        Directory.Delete(folder, recursive: true);
        return new NoOpSync(requests);
    }

    /// <summary>The URL with the admin's credentials, as the other sync scenarios use.</summary>
    public static string AdminUrl(int port) => $"http://{BenchmarkRepositories.User}:{BenchmarkRepositories.Password}@127.0.0.1:{port}/";

    /// <summary>
    /// <c>fossil sync URL -R CLIENT --user bench</c>: the local user is named, because the one
    /// <see cref="StockFossil"/> sets in the environment need not exist in the clone (fossil
    /// then cannot tell who it is); the login on the wire is the URL's either way.
    /// </summary>
    public static string[] SyncArguments(string url, string clientPath) => ["sync", url, "-R", clientPath, "--user", BenchmarkRepositories.User];

    /// <summary>Stock's closing line of a sync that sent and received nothing.</summary>
    public static readonly Regex NothingExchanged = new(@"Artifacts sent: 0\s+received: 0");

    /// <summary>e.g. "1 request, 370 bytes (application/x-fossil)".</summary>
    public string Describe() =>
        $"{Requests.Count} request{(Requests.Count == 1 ? "" : "s")}, {string.Join(" + ", Requests.Select(r => r.Body.Length))} bytes ({Requests[0].ContentType})";
}
