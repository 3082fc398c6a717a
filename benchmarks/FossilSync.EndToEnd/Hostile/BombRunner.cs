using FossilSync.EndToEnd.Measurement;
using FossilSync.EndToEnd.Scenarios;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.EndToEnd.Hostile;

/// <summary>
/// Sends every bomb to one server (ours or stock) started on a fresh, empty repository of its
/// own under <paramref name="workRoot"/>, one bomb at a time, and reads what each cost in
/// resident memory above the server's idle: for ours, the peak counter of the server process,
/// reset before each bomb; for stock <c>fossil server</c>, which serves each connection in a
/// forked child that exits after the reply, the peak of that child, sampled while the request
/// runs (so growth in its last few milliseconds can be missed). Each bomb gets a server process
/// of its own, so memory an earlier bomb left allocated is never charged to the next.
/// </summary>
internal sealed class BombRunner(string workRoot, Toolchain tools, TimeSpan requestTimeout)
{
    private static readonly TimeSpan SamplePeriod = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(500);

    public async Task<List<BombResult>> RunAsync(Side side, IReadOnlyList<(RequestBomb Bomb, byte[] Body)> bombs, TextWriter log)
    {
        string folder = Path.Combine(workRoot, $"bombs-{side}".ToLowerInvariant());
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        var environment = new Dictionary<string, string> { ["HOME"] = folder };
        string repository = Path.Combine(folder, "server.fossil");
        StockFossil.Ok(folder, "init", repository);
        var command = (side == Side.Ours ? tools.OurServer : tools.StockServer)
            .Select(a => a.Replace("{repo}", repository, StringComparison.Ordinal)).ToList();

        var results = new List<BombResult>();
        foreach (var (bomb, body) in bombs)
        {
            using var server = ServerProcess.Start(command, folder, environment);
            long idleKb = await IdleKbAsync(server);
            var result = side == Side.Ours
                ? await MeasureOursAsync(server, bomb, body, idleKb)
                : await MeasureStockAsync(server, bomb, body, idleKb);
            if (server.HasExited) result = result with { Reply = result.Reply with { Answer = result.Reply.Answer + " (server died)" } };
            results.Add(result);
            log.WriteLine($"  {side.ToString().ToLowerInvariant(),-5} {bomb.Name}: idle {idleKb / 1024.0:0.0} MiB; {result.Reply.Answer}; "
                + $"{(result.PeakOverIdleKb is { } kb ? $"{kb / 1024.0:0.0} MiB over idle" : result.PeakNote)}, {result.Reply.WallSeconds:0.00} s");
        }
        Directory.Delete(folder, recursive: true);
        return results;
    }

    /// <summary>Resident memory after one harmless request (so what every request needs is loaded) and a moment of quiet.</summary>
    private async Task<long> IdleKbAsync(ServerProcess server)
    {
        var warmUp = new RequestBomb("warm-up", 0, s => s.Write("# warm-up\n"u8), DeclaredSize: 10);
        await BombSender.SendAsync(server.Port, warmUp.Envelope(), requestTimeout);
        await Task.Delay(Settle);
        return ProcessMemory.RssKb(server.Id) ?? throw new InvalidOperationException($"the server died on a harmless request:\n{server.Output}");
    }

    private async Task<BombResult> MeasureOursAsync(ServerProcess server, RequestBomb bomb, byte[] body, long idleKb)
    {
        ProcessMemory.ResetPeak(server.Id);
        var reply = await BombSender.SendAsync(server.Port, body, requestTimeout);
        long? peak = ProcessMemory.PeakKb(server.Id);
        return new BombResult(bomb, Side.Ours, body.Length, reply, peak - idleKb, peak is null ? "n/a (server gone)" : null);
    }

    private async Task<BombResult> MeasureStockAsync(ServerProcess server, RequestBomb bomb, byte[] body, long idleKb)
    {
        var before = new HashSet<int>();
        if (ProcessMemory.NewestChild(server.Id) is { } old) before.Add(old);
        using var stop = new CancellationTokenSource();
        var sampling = Task.Run(() => SampleChildPeak(server.Id, before, stop.Token));
        var reply = await BombSender.SendAsync(server.Port, body, requestTimeout);
        await stop.CancelAsync();
        long? peak = await sampling;
        return new BombResult(bomb, Side.Stock, body.Length, reply, peak - idleKb, peak is null ? "n/a (no child seen)" : null);
    }

    /// <summary>The largest peak seen in any new child of <paramref name="parent"/> until <paramref name="stop"/>.</summary>
    private static long? SampleChildPeak(int parent, HashSet<int> ignore, CancellationToken stop)
    {
        long? best = null;
        while (!stop.IsCancellationRequested)
        {
            if (ProcessMemory.NewestChild(parent) is { } child && !ignore.Contains(child) && ProcessMemory.PeakKb(child) is { } kb)
            {
                best = Math.Max(best ?? 0, kb);
            }
            Thread.Sleep(SamplePeriod);
        }
        return best;
    }
}
