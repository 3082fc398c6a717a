using System.Diagnostics;
using System.Globalization;
using FossilSync.EndToEnd.Results;
using FossilSync.EndToEnd.Scenarios;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.EndToEnd.Hostile;

/// <summary>
/// <c>--only bombs</c>: builds the CLI, compresses every bomb once, sends them to
/// <c>fossilsync serve</c> and then to stock <c>fossil server</c>, and writes
/// <c>bombs-results.md</c>. Exits non-zero when one of our refusals cost more than the budget.
/// </summary>
internal static class BombBenchmark
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(120);

    public static async Task<int> RunAsync(EndToEndOptions options)
    {
        string root = SourceTree.FindRoot() ?? throw new InvalidOperationException("run this from inside the FossilSync checkout");
        var tools = Toolchain.Build(root, native: !options.Jit, options.CliFolder, Console.Out);
        string workRoot = Path.Combine(Path.GetTempPath(), "fossilsync-e2e-runs");

        var bombs = new List<(RequestBomb Bomb, byte[] Body)>();
        foreach (var bomb in RequestBombs.All)
        {
            var clock = Stopwatch.StartNew();
            byte[] body = bomb.Envelope();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"compressed {bomb.Name}: {bomb.InflatedSize:#,0} bytes inflated, {body.Length:#,0} on the wire ({clock.Elapsed.TotalSeconds:0.0} s)"));
            bombs.Add((bomb, body));
        }

        var runner = new BombRunner(workRoot, tools, RequestTimeout);
        var results = new List<BombResult>();
        foreach (var side in new[] { Side.Ours, Side.Stock })
        {
            results.AddRange(await runner.RunAsync(side, bombs, Console.Out));
        }

        string preamble = $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores; ours: {tools.Description} on .NET {Environment.Version}; "
            + $"{StockFossil.Ok(workRoot, "version").Trim()}.";
        string markdown = BombTable.Format(RequestBombs.All, results, preamble, RequestTimeout);
        Directory.CreateDirectory(options.OutputFolder);
        string path = Path.Combine(options.OutputFolder, "bombs-results.md");
        await File.WriteAllTextAsync(path, markdown);
        Console.WriteLine();
        Console.WriteLine(markdown);
        Console.WriteLine($"written to {path}");
        var over = results.Where(r => r.Side == Side.Ours && r.OverBudget).ToList();
        foreach (var r in over) Console.WriteLine($"OVER BUDGET: {r.Bomb.Name} cost {r.PeakOverIdleKb / 1024} MiB over idle");
        return over.Count == 0 ? 0 : 1;
    }
}
