using System.Globalization;
using System.Text;
using FossilSync.EndToEnd.Load;
using FossilSync.EndToEnd.Scenarios;

namespace FossilSync.EndToEnd.Results;

/// <summary>
/// Every individual run, one CSV row each. Load runs fill the last seven columns; for them
/// wall_s is the measured window, cpu_s the load generator's CPU in it, server_cpu_s the
/// server's, and the byte columns are empty (no proxy sits in front of a loaded server). The
/// last column is what a scenario's inspection found, if it has one.
/// </summary>
internal static class ResultCsv
{
    public static string Format(IEnumerable<RunResult> results, IEnumerable<LoadResult> loadResults, int loadClients)
    {
        var csv = new StringBuilder("scenario,side,rep,wall_s,cpu_s,peak_rss_kb,bytes_sent,bytes_received,server_cpu_s,status,error,"
            + "syncs,syncs_per_s,p50_ms,p99_ms,failed_syncs,listen_drops,other_cpu_s,detail,client_file_bytes\n");
        foreach (var r in results)
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"{Quote(r.Scenario)},{r.Side.ToString().ToLowerInvariant()},{r.Repetition},{Number(r.Cost?.WallSeconds)},{Number(r.Cost?.CpuSeconds)},"
                + $"{r.Cost?.PeakRssKb},{r.BytesSent},{r.BytesReceived},{Number(r.ServerCpuSeconds)},{(r.Succeeded ? "ok" : "failed")},{Quote(r.Failure ?? "")},,,,,,,,{Quote(r.Detail ?? "")},{r.ClientFileBytes}\n");
        }
        foreach (var r in loadResults)
        {
            var s = r.Sample;
            csv.Append(CultureInfo.InvariantCulture,
                $"{Quote($"{LoadRunner.Name}, {loadClients} clients")},{r.Side.ToString().ToLowerInvariant()},{r.Repetition},{Number(s?.Seconds)},{Number(s?.GeneratorCpuSeconds)},"
                + $",,,{Number(s?.ServerCpuSeconds)},{(r.Succeeded ? "ok" : "failed")},{Quote(r.Failure ?? "")},"
                + $"{s?.Completed},{Number(s?.PerSecond)},{Number(s?.P50Ms)},{Number(s?.P99Ms)},{s?.Failed},{s?.ListenDrops},{Number(s?.OtherCpuSeconds)},,\n");
        }
        return csv.ToString();
    }

    private static string Number(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "";

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
