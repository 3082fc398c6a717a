using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using FossilSync.EndToEnd.Measurement;

namespace FossilSync.EndToEnd.Load;

/// <summary>
/// Closed-loop load from this process: <c>clients</c> workers, each sending the recorded sync
/// again as soon as its last one was answered, for a warm-up and then a measured window. Every
/// request goes out on a fresh connection closed after the reply (HTTP/1.0, as stock fossil's
/// client sends it): stock <c>fossil server</c> serves one request per connection (it forks a
/// child per connection), so keep-alive would favour a server that supports it.
/// </summary>
internal static class LoadGenerator
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private const int MaxFailureExamples = 5;

    /// <summary>
    /// Loads <paramref name="server"/> with <paramref name="sync"/> from <paramref name="clients"/>
    /// workers: <paramref name="warmUp"/> unmeasured, then <paramref name="window"/> measured;
    /// <paramref name="serverCpu"/> (the server's CPU seconds so far) is read at the window's edges.
    /// </summary>
    public static async Task<LoadSample> RunAsync(Uri server, IReadOnlyList<RecordedRequest> sync, int clients, TimeSpan warmUp, TimeSpan window, Func<double> serverCpu)
    {
        long stopAt = long.MaxValue;
        var workers = Enumerable.Range(0, clients)
            .Select(_ => Task.Run(() => WorkAsync(server, sync, () => Volatile.Read(ref stopAt))))
            .ToArray();

        await Task.Delay(warmUp);
        using var self = Process.GetCurrentProcess();
        long start = Stopwatch.GetTimestamp();
        double serverCpuStart = serverCpu(), generatorCpuStart = self.TotalProcessorTime.TotalSeconds;
        long? dropsStart = ListenDrops.Read();
        double? machineStart = MachineCpu.BusySeconds();
        await Task.Delay(window);
        long end = Stopwatch.GetTimestamp();
        double serverCpuEnd = serverCpu();
        long? dropsEnd = ListenDrops.Read();
        double? machineEnd = MachineCpu.BusySeconds();
        self.Refresh();
        double generatorCpuEnd = self.TotalProcessorTime.TotalSeconds;
        double serverSeconds = serverCpuEnd - serverCpuStart, generatorSeconds = generatorCpuEnd - generatorCpuStart;
        Volatile.Write(ref stopAt, end);
        var outcomes = (await Task.WhenAll(workers)).SelectMany(o => o).Where(o => o.End >= start && o.End <= end).ToList();

        var latencies = outcomes.Where(o => o.Failure is null).Select(o => Stopwatch.GetElapsedTime(o.Start, o.End).TotalMilliseconds).Order().ToList();
        var failures = outcomes.Where(o => o.Failure is not null).Select(o => o.Failure!).ToList();
        return new LoadSample(
            Stopwatch.GetElapsedTime(start, end).TotalSeconds,
            latencies.Count,
            failures.Count,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            serverSeconds,
            generatorSeconds,
            machineEnd - machineStart - serverSeconds - generatorSeconds,
            dropsEnd - dropsStart,
            [.. failures.GroupBy(f => f).OrderByDescending(g => g.Count()).Take(MaxFailureExamples).Select(g => $"{g.Count()}× {g.Key}")]);
    }

    /// <summary>One sync: when it started and ended (Stopwatch ticks), and what went wrong, if anything.</summary>
    private readonly record struct Outcome(long Start, long End, string? Failure);

    private static async Task<List<Outcome>> WorkAsync(Uri server, IReadOnlyList<RecordedRequest> sync, Func<long> stopAt)
    {
        var outcomes = new List<Outcome>();
        using var client = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.Zero,
        })
        {
            Timeout = RequestTimeout,
        };
        while (Stopwatch.GetTimestamp() < stopAt())
        {
            long start = Stopwatch.GetTimestamp();
            string? failure = null;
            foreach (var request in sync)
            {
                failure = await SendAsync(client, server, request);
                if (failure is not null) break;
            }
            outcomes.Add(new Outcome(start, Stopwatch.GetTimestamp(), failure));
        }
        return outcomes;
    }

    private static async Task<string?> SendAsync(HttpClient client, Uri server, RecordedRequest recorded)
    {
        using var request = new HttpRequestMessage(new HttpMethod(recorded.Method), new Uri(server, recorded.Path))
        {
            Version = HttpVersion.Version10,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(recorded.Body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(recorded.ContentType);
        request.Headers.ConnectionClose = true;
        if (recorded.UserAgent is not null) request.Headers.TryAddWithoutValidation("User-Agent", recorded.UserAgent);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            byte[] body = await response.Content.ReadAsByteArrayAsync();
            return ReplyCheck.Problem(response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return $"{ex.GetType().Name}: {ex.GetBaseException().Message}";
        }
    }

    /// <summary>Nearest-rank percentile of sorted values; NaN when there are none.</summary>
    private static double Percentile(IReadOnlyList<double> sorted, double fraction) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];
}
