using System.Globalization;
using System.Text;
using FossilSync.EndToEnd.Load;
using FossilSync.EndToEnd.Scenarios;

namespace FossilSync.EndToEnd.Results;

/// <summary>
/// The markdown section of the load test: per metric, the median over the repetitions of each
/// server, ours and stock side by side with the ratio; then every failed run in full.
/// </summary>
internal static class LoadTable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Format(IReadOnlyList<LoadResult> results, NoOpSync sync, LoadSettings settings)
    {
        var md = new StringBuilder();
        md.Append(Invariant, $"\n## No-op sync under load: {settings.Clients} concurrent clients\n\n");
        md.Append("`fossilsync serve` vs `fossil server`, each on a fresh copy of `base.fossil`, one at a time. ")
            .Append(Invariant, $"The load is what stock `fossil sync` of the up-to-date `clone.fossil` sends as the admin ({sync.Describe()}), ")
            .Append(Invariant, $"recorded once on the wire and replayed byte for byte by {settings.Clients} clients in the benchmark process, ")
            .Append("each sending its next sync as soon as the last was answered. ")
            .Append("Every request opens a fresh connection, closed after the reply (HTTP/1.0, as stock fossil's client does): ")
            .Append("stock `fossil server` forks a child per connection and serves one request on it, so keep-alive would favour ours. ")
            .Append(Invariant, $"{settings.WarmUp.TotalSeconds:0} s of warm-up, then {settings.Window.TotalSeconds:0} s measured, per server and repetition; ")
            .Append("every reply is checked (HTTP 200, decodes, no `error` card), and a real `fossil sync` of the clone must succeed against the server ")
            .Append("before and after the load. The load generator shares the machine's cores with the server; \"other processes\" is the rest of the machine's "
                + "busy CPU in the window (kernel work for the loopback connections included): a large figure means something else disturbed the run.\n\n");
        md.Append("Medians over the repetitions; ratio ours ÷ stock (for syncs/s above 1 means FossilSync serves more, for the others below 1 means it is lower). "
            + "† = some runs of that side failed (see below).\n\n");
        md.Append("| metric | fossilsync serve | fossil server | ratio |\n|---|---|---|---|\n");
        var ours = results.Where(r => r.Side == Side.Ours).ToList();
        var stock = results.Where(r => r.Side == Side.Stock).ToList();
        Row(md, "syncs/s (= requests/s)", ours, stock, s => s.PerSecond, "#,0");
        Row(md, "latency p50, ms", ours, stock, s => s.P50Ms, "0.0");
        Row(md, "latency p99, ms", ours, stock, s => s.P99Ms, "0.0");
        Row(md, "server CPU per sync, ms", ours, stock, s => s.ServerCpuMsPerSync, "0.00");
        Row(md, "load generator CPU, % of one core", ours, stock, s => 100 * s.GeneratorCpuSeconds / s.Seconds, "0");
        Row(md, "other processes' CPU, % of one core", ours, stock, s => 100 * (s.OtherCpuSeconds ?? double.NaN) / s.Seconds, "0");
        Row(md, "connections dropped, accept queue full", ours, stock, s => s.ListenDrops ?? double.NaN, "#,0");
        md.Append(Invariant, $"| failed syncs, all runs | {Failed(ours)} | {Failed(stock)} | |\n");

        var failures = results.Where(r => !r.Succeeded).ToList();
        if (failures.Count > 0)
        {
            md.Append("\n### Load failures\n\n");
            foreach (var f in failures)
            {
                md.Append(Invariant, $"- {f.Side.ToString().ToLowerInvariant()}, rep {f.Repetition}: FAILED — `{f.Failure?.Replace('\n', ' ').Replace("`", "'", StringComparison.Ordinal)}`\n");
            }
        }
        return md.ToString();
    }

    /// <summary>The section when the request to replay could not even be recorded.</summary>
    public static string CaptureFailed(string failure, LoadSettings settings) =>
        string.Create(Invariant, $"\n## No-op sync under load: {settings.Clients} concurrent clients\n\n")
        + $"FAILED — the request stock `fossil sync` sends could not be recorded: `{failure.Replace('\n', ' ').Replace("`", "'", StringComparison.Ordinal)}`\n";

    private static void Row(StringBuilder md, string metric, List<LoadResult> ours, List<LoadResult> stock, Func<LoadSample, double> value, string format)
    {
        string Side(List<LoadResult> runs, out double? median)
        {
            var measured = runs.Where(r => r.Sample is { Completed: > 0 }).Select(r => value(r.Sample!)).ToList();
            median = measured.Count == 0 ? null : ResultTable.Median(measured);
            if (median is null) return "FAILED";
            return median.Value.ToString(format, Invariant) + (runs.Any(r => !r.Succeeded) ? "†" : "");
        }
        string o = Side(ours, out double? a), s = Side(stock, out double? b);
        string ratio = a is { } x && b is { } y && y > 0 ? (x / y).ToString("0.00", Invariant) + "×" : "";
        md.Append(Invariant, $"| {metric} | {o} | {s} | {ratio} |\n");
    }

    private static string Failed(List<LoadResult> runs) =>
        runs.Sum(r => r.Sample?.Failed ?? 0).ToString("#,0", Invariant) + (runs.Any(r => r.Sample is null) ? " (and runs that never got to the load)" : "");
}
