using System.Globalization;

namespace FossilSync.EndToEnd.Measurement;

/// <summary>
/// CPU seconds the whole machine has spent busy (every core, every process, the kernel), from
/// the first line of <c>/proc/stat</c>. Minus what the server and the load generator used, it
/// shows how much other work shared the cores during a measurement: on a shared 2-core machine
/// that is what makes a run trustworthy or not. Null where it cannot be read.
/// </summary>
internal static class MachineCpu
{
    // USER_HZ: 100 on every Linux this runs on (as in ServerProcess.CpuSeconds).
    private const int ClockTicksPerSecond = 100;

    public static double? BusySeconds()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            string? line = reader.ReadLine();
            if (line is null || !line.StartsWith("cpu ", StringComparison.Ordinal)) return null;
            long[] ticks = [.. line[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => long.Parse(t, CultureInfo.InvariantCulture))];
            if (ticks.Length < 8) return null;
            // user nice system idle iowait irq softirq steal: all but idle and iowait are busy.
            long busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7];
            return busy / (double)ClockTicksPerSecond;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
