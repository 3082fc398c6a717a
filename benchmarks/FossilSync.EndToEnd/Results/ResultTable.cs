using System.Globalization;
using System.Text;
using FossilSync.EndToEnd.Scenarios;

namespace FossilSync.EndToEnd.Results;

/// <summary>
/// The markdown summary: per scenario, the median of each metric over the successful runs of
/// each side, as "ours / stock (ratio)", ratio = ours ÷ stock; then what the inspections of the
/// runs that have one found (the server's artifacts after a clustered push); then every failure in full.
/// </summary>
internal static class ResultTable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Format(IReadOnlyList<Scenario> scenarios, IReadOnlyList<RunResult> results, IEnumerable<string> preamble)
    {
        var md = new StringBuilder("# FossilSync vs stock fossil, end to end\n\n");
        foreach (string line in preamble) md.Append(line).Append('\n');
        if (scenarios.Count == 0) return md.ToString();   // --only load
        md.Append("\nEach cell: median ours / median stock (ratio ours ÷ stock; below 1 means FossilSync is lower). "
            + "Wall, CPU (user+sys) and peak RSS are of the client process; bytes are counted on the wire by a proxy "
            + "between client and server; server CPU is the server process's (with its reaped children); client file = the client's "
            + "repository file afterwards (a clone's result; the rebuilt repository). † = some runs of that side failed (see below).\n\n");
        md.Append("| scenario | ours | stock | wall s | CPU s | peak RSS MiB | sent KiB | received KiB | server CPU s | client file MiB |\n");
        md.Append("|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var scenario in scenarios)
        {
            var ours = results.Where(r => r.Scenario == scenario.Name && r.Side == Side.Ours).ToList();
            var stock = results.Where(r => r.Scenario == scenario.Name && r.Side == Side.Stock).ToList();
            bool network = results.Any(r => r.Scenario == scenario.Name && r.BytesSent + r.BytesReceived > 0);
            md.Append(Invariant, $"| {scenario.Name} | {scenario.OursDoes} | {scenario.StockDoes} ")
                .Append(Invariant, $"| {Cell(ours, stock, r => r.Cost!.WallSeconds, "0.00")} ")
                .Append(Invariant, $"| {Cell(ours, stock, r => r.Cost!.CpuSeconds, "0.00")} ")
                .Append(Invariant, $"| {Cell(ours, stock, r => r.Cost!.PeakRssKb / 1024.0, "0")} ")
                .Append(Invariant, $"| {(network ? Cell(ours, stock, r => r.BytesSent / 1024.0, "#,0") : "–")} ")
                .Append(Invariant, $"| {(network ? Cell(ours, stock, r => r.BytesReceived / 1024.0, "#,0") : "–")} ")
                .Append(Invariant, $"| {(network ? Cell(ours, stock, r => r.ServerCpuSeconds ?? 0, "0.00") : "–")} ")
                .Append(Invariant, $"| {Cell(ours, stock, r => (r.ClientFileBytes ?? 0) / (1024.0 * 1024), "0.0")} |\n");
        }
        var inspected = results.Where(r => r.Detail is not null).ToList();
        if (inspected.Count > 0)
        {
            md.Append("\n## The server after the push (every run)\n\n");
            foreach (var r in inspected)
            {
                md.Append(Invariant, $"- **{r.Scenario}**, {r.Side.ToString().ToLowerInvariant()}, rep {r.Repetition}: {r.Detail}\n");
            }
        }
        var failures = results.Where(r => !r.Succeeded).ToList();
        if (failures.Count > 0)
        {
            md.Append("\n## Failures\n\n");
            foreach (var f in failures)
            {
                md.Append(Invariant, $"- **{f.Scenario}**, {f.Side.ToString().ToLowerInvariant()}, rep {f.Repetition}: FAILED — `{f.Failure!.Replace('\n', ' ').Replace("`", "'", StringComparison.Ordinal)}`\n");
            }
        }
        return md.ToString();
    }

    private static string Cell(List<RunResult> ours, List<RunResult> stock, Func<RunResult, double> metric, string format)
    {
        string Side(List<RunResult> runs, out double? median)
        {
            var ok = runs.Where(r => r.Succeeded).Select(metric).ToList();
            median = ok.Count == 0 ? null : Median(ok);
            if (median is null) return "FAILED";
            return median.Value.ToString(format, Invariant) + (ok.Count < runs.Count ? "†" : "");
        }
        string cell = $"{Side(ours, out double? o)} / {Side(stock, out double? s)}";
        return o is { } a && s is { } b && b > 0 ? cell + $" ({(a / b).ToString("0.00", Invariant)}×)" : cell;
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        int mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
