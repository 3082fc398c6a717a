using System.Globalization;
using System.Text;
using FossilSync.EndToEnd.Hostile;
using FossilSync.EndToEnd.Scenarios;

namespace FossilSync.EndToEnd.Results;

/// <summary>
/// The markdown of the hostile-request benchmark: per bomb, its size on the wire, what our
/// server answered, and the peak resident memory above idle and wall time of each server.
/// </summary>
internal static class BombTable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Format(IReadOnlyList<RequestBomb> bombs, IReadOnlyList<BombResult> results, string preamble, TimeSpan timeout)
    {
        var md = new StringBuilder();
        md.Append("## Memory under hostile requests\n\n").Append(preamble).Append("\n\n");
        md.Append("Each bomb gets a server process of its own, started on the same fresh empty repository (`fossil init`); idle = that process's resident memory (VmRSS) after one harmless request. ")
            .Append("Each bomb is one HTTP POST (`application/x-fossil`, no login, so user `nobody`). ")
            .Append("Ours: peak resident memory (VmHWM, reset through `/proc/PID/clear_refs` after the harmless request) minus idle. ")
            .Append("Stock `fossil server` forks a child per connection: the child's VmHWM, sampled every 10 ms while the request runs (the last few ms can be missed), minus the parent's idle. ")
            .Append(Invariant, $"Wall = connect to end of reply; timeout {timeout.TotalSeconds:0} s per request. ")
            .Append(Invariant, $"Goal: at most {BombResult.BudgetKb / 1024} MiB over idle for any refused request; ✗ marks ours over it.\n\n");
        md.Append("| bomb | wire bytes | server answer (ours) | ours peak−idle MiB | ours wall s | stock answer | stock peak−idle MiB | stock wall s |\n");
        md.Append("|---|---:|---|---:|---:|---|---:|---:|\n");
        foreach (var bomb in bombs)
        {
            var ours = results.FirstOrDefault(r => r.Bomb == bomb && r.Side == Side.Ours);
            var stock = results.FirstOrDefault(r => r.Bomb == bomb && r.Side == Side.Stock);
            long wire = (ours ?? stock)?.WireBytes ?? 0;
            md.Append(Invariant, $"| {bomb.Name} | {wire:#,0} | {Answer(ours)} | {Peak(ours)} | {Wall(ours)} | {Answer(stock)} | {Peak(stock)} | {Wall(stock)} |\n");
        }
        return md.ToString();
    }

    private static string Answer(BombResult? r) =>
        r is null ? "not run" : Cell((r.Reply.Status is { } s ? $"HTTP {s}, " : "") + r.Reply.Answer);

    private static string Peak(BombResult? r) =>
        r is null ? "" : r.PeakOverIdleKb is { } kb ? (kb / 1024.0).ToString("0.0", Invariant) + (r.Side == Side.Ours && r.OverBudget ? " ✗" : "") : r.PeakNote ?? "n/a";

    private static string Wall(BombResult? r) =>
        r is null ? "" : r.Reply.TimedOut ? "timeout" : r.Reply.WallSeconds.ToString("0.00", Invariant);

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal);
}
