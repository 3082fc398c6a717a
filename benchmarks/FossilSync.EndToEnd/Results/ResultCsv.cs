using System.Globalization;
using System.Text;
using FossilSync.EndToEnd.Scenarios;

namespace FossilSync.EndToEnd.Results;

/// <summary>Every individual run, one CSV row each.</summary>
internal static class ResultCsv
{
    public static string Format(IEnumerable<RunResult> results)
    {
        var csv = new StringBuilder("scenario,side,rep,wall_s,cpu_s,peak_rss_kb,bytes_sent,bytes_received,server_cpu_s,status,error\n");
        foreach (var r in results)
        {
            string Number(double? value) => value?.ToString("0.000", CultureInfo.InvariantCulture) ?? "";
            csv.Append(CultureInfo.InvariantCulture,
                $"{Quote(r.Scenario)},{r.Side.ToString().ToLowerInvariant()},{r.Repetition},{Number(r.Cost?.WallSeconds)},{Number(r.Cost?.CpuSeconds)},"
                + $"{r.Cost?.PeakRssKb},{r.BytesSent},{r.BytesReceived},{Number(r.ServerCpuSeconds)},{(r.Succeeded ? "ok" : "failed")},{Quote(r.Failure ?? "")}\n");
        }
        return csv.ToString();
    }

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
