using System.Collections.Concurrent;
using System.Diagnostics;
using FossilSync.AspNetCore;
using FossilSync.Http;
using FossilSync.Nats;
using FossilSync.NatsBench;
using FossilSync.Repo;
using FossilSync.Sync;
using NATS.Client.Core;

// Small, bounded runs for a shared machine:
//   propagation LEAVES PUSHES REPO   time until every watching leaf holds a pushed artifact
//   noop LEAVES SECONDS REPO         no-op syncs per second, NATS vs HTTP, LEAVES concurrent leaves
//   clone REPO [REPS]                clone REPO over NATS and over HTTP, REPS times each in alternating order (default 5)
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: propagation LEAVES PUSHES REPO | noop LEAVES SECONDS REPO | clone REPO [REPS]");
    return 2;
}
using var nats = new NatsServerProcess();
string work = Path.Combine(Path.GetTempPath(), "fossilsync-natsbench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(work);
try
{
    return args[0] switch
    {
        "propagation" => await Propagation(int.Parse(args[1]), int.Parse(args[2]), args[3]),
        "noop" => await NoOp(int.Parse(args[1]), int.Parse(args[2]), args[3]),
        "clone" => await Clone(args[1], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5),
        _ => 2,
    };
}
finally
{
    Directory.Delete(work, recursive: true);
}

async Task<NatsConnection> Connect()
{
    var connection = new NatsConnection(NatsOpts.Default with { Url = nats.Url });
    await connection.ConnectAsync();
    return connection;
}

string CopyOf(string origin, string name)
{
    string path = Path.Combine(work, name);
    File.Copy(origin, path);
    return path;
}

async Task<int> Propagation(int leaves, int pushes, string origin)
{
    string served = CopyOf(origin, "hub.fossil");
    await using var hubConnection = await Connect();
    await using var hub = await FossilNatsServer.StartAsync(hubConnection, [served]);
    await using var leafConnection = await Connect();
    string code;
    using (var r = Repository.Open(served)) code = r.ProjectCode;
    var arrivals = new ConcurrentDictionary<int, long>();
    long pushedAt = 0;
    using var stop = new CancellationTokenSource();
    var watchers = new List<Task>();
    var ready = new CountdownEvent(leaves);
    for (int i = 0; i < leaves; i++)
    {
        int leaf = i;
        string path = CopyOf(origin, $"leaf{i}.fossil");
        int first = 0;
        var watcher = FossilWatcher.ForNats(path, leafConnection, new FossilWatcherOptions
        {
            Push = false,
            FallbackInterval = TimeSpan.FromHours(1),
            LocalPollInterval = TimeSpan.FromHours(1),
            Synced = result =>
            {
                if (Interlocked.Exchange(ref first, 1) == 0) ready.Signal();
                if (result.FilesReceived > 0) arrivals.TryAdd(leaf, Stopwatch.GetTimestamp() - Volatile.Read(ref pushedAt));
            },
        });
        watchers.Add(watcher.RunAsync(stop.Token));
    }
    ready.Wait(TimeSpan.FromMinutes(2));
    string writer = CopyOf(origin, "writer.fossil");
    var samples = new List<double>();
    for (int p = 0; p < pushes; p++)
    {
        arrivals.Clear();
        using (var repository = Repository.Open(writer))
        {
            repository.PutArtifact(System.Text.Encoding.UTF8.GetBytes($"pushed {p} {Guid.NewGuid()}\n"));
            Volatile.Write(ref pushedAt, Stopwatch.GetTimestamp());
            await FossilClient.SyncAsync(repository, new NatsTransport(leafConnection, code), new SyncOptions { Pull = false });
        }
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (arrivals.Count < leaves && DateTime.UtcNow < deadline) await Task.Delay(5);
        if (arrivals.Count < leaves) throw new TimeoutException($"push {p}: only {arrivals.Count} of {leaves} leaves got it in 30 s");
        samples.AddRange(arrivals.Values.Select(t => t * 1000.0 / Stopwatch.Frequency));
        // The slowest leaf's time is "every leaf holds it".
        Console.WriteLine($"push {p}: all {leaves} leaves in {arrivals.Values.Max() * 1000.0 / Stopwatch.Frequency:0.0} ms");
        await Task.Delay(200);
    }
    await stop.CancelAsync();
    await Task.WhenAll(watchers);
    samples.Sort();
    Console.WriteLine($"propagation, {leaves} leaves x {pushes} pushes: per-leaf arrival p50 {Percentile(samples, 0.5):0.0} ms, p99 {Percentile(samples, 0.99):0.0} ms, max {samples[^1]:0.0} ms");
    return 0;
}

async Task<int> NoOp(int leaves, int seconds, string origin)
{
    string served = CopyOf(origin, "hub.fossil");
    await using var hubConnection = await Connect();
    await using var hub = await FossilNatsServer.StartAsync(hubConnection, [served]);
    await using var http = await FossilSyncServer.StartAsync(served, "http://127.0.0.1:0", hub.SyncOptions);
    await using var leafConnection = await Connect();
    string code;
    using (var r = Repository.Open(served)) code = r.ProjectCode;
    var paths = Enumerable.Range(0, leaves).Select(i => CopyOf(origin, $"leaf{i}.fossil")).ToArray();
    // One client for all HTTP sessions, so connections are reused as a long-running leaf's would be.
    using var httpClient = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
    foreach (var (name, factory) in new (string, Func<ITransport>)[]
    {
        ("NATS", () => new NatsTransport(leafConnection, code)),
        ("HTTP", () => new HttpTransport(http.Url, httpClient)),
    })
    {
        long done = 0;
        var until = DateTime.UtcNow.AddSeconds(seconds);
        var started = Stopwatch.StartNew();
        await Task.WhenAll(paths.Select(path => Task.Run(async () =>
        {
            using var repository = Repository.Open(path);
            while (DateTime.UtcNow < until)
            {
                var transport = factory();
                await FossilClient.SyncAsync(repository, transport, new SyncOptions { Push = false });
                (transport as IDisposable)?.Dispose();
                Interlocked.Increment(ref done);
            }
        })));
        Console.WriteLine($"no-op sync over {name}, {leaves} concurrent leaves: {done} in {started.Elapsed.TotalSeconds:0.0} s = {done / started.Elapsed.TotalSeconds:0} per second");
    }
    return 0;
}

async Task<int> Clone(string origin, int reps)
{
    await using var hubConnection = await Connect();
    await using var hub = await FossilNatsServer.StartAsync(hubConnection, [origin]);
    await using var http = await FossilSyncServer.StartAsync(origin, "http://127.0.0.1:0", hub.SyncOptions);
    await using var leafConnection = await Connect();
    string code;
    using (var r = Repository.Open(origin)) code = r.ProjectCode;
    var times = new Dictionary<string, List<double>> { ["NATS"] = [], ["HTTP"] = [] };
    for (int rep = 0; rep < reps; rep++)
    {
        // Alternating order, so neither side always runs on a warmer machine.
        string[] order = rep % 2 == 0 ? ["NATS", "HTTP"] : ["HTTP", "NATS"];
        foreach (string name in order)
        {
            ITransport transport = name == "NATS" ? new NatsTransport(leafConnection, code) : new HttpTransport(http.Url);
            string target = Path.Combine(work, $"{name}-{rep}.fossil");
            var watch = Stopwatch.StartNew();
            var (clone, result) = await FossilClient.CloneAsync(transport, target);
            watch.Stop();
            clone.Dispose();
            (transport as IDisposable)?.Dispose();
            File.Delete(target);
            times[name].Add(watch.Elapsed.TotalSeconds);
            Console.WriteLine($"clone over {name}: {watch.Elapsed.TotalSeconds:0.00} s, {result.Rounds} rounds, {result.ArtifactsReceived} artifacts");
        }
    }
    double nats = Median(times["NATS"]), httpMedian = Median(times["HTTP"]);
    Console.WriteLine($"median of {reps}: NATS {nats:0.00} s, HTTP {httpMedian:0.00} s, NATS/HTTP {nats / httpMedian:0.00}x");
    return 0;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
