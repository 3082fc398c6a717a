using System.Globalization;

namespace FossilSync.EndToEnd.Measurement;

/// <summary>
/// A process's resident memory from <c>/proc</c>: current (<c>VmRSS</c>) and peak
/// (<c>VmHWM</c>) in KiB, the peak reset by writing 5 to <c>/proc/PID/clear_refs</c>, and the
/// newest child of a process (stock <c>fossil server</c> serves each connection in a forked child).
/// </summary>
internal static class ProcessMemory
{
    /// <summary>Current resident set in KiB; null once the process is gone.</summary>
    public static long? RssKb(int pid) => Field(pid, "VmRSS:");

    /// <summary>Peak resident set since start or the last <see cref="ResetPeak"/>, in KiB; null once the process is gone.</summary>
    public static long? PeakKb(int pid) => Field(pid, "VmHWM:");

    /// <summary>Sets the peak back to the current resident set.</summary>
    public static void ResetPeak(int pid) => File.WriteAllText($"/proc/{pid}/clear_refs", "5");

    /// <summary>The child of <paramref name="parent"/> started last (highest start time), or null when it has none.</summary>
    public static int? NewestChild(int parent)
    {
        int? newest = null;
        long newestStart = -1;
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            // After the parenthesised command name: state is field 3, ppid 4, starttime 22.
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (int.Parse(fields[1], CultureInfo.InvariantCulture) != parent) continue;
            long start = long.Parse(fields[19], CultureInfo.InvariantCulture);
            if (start > newestStart || (start == newestStart && pid > newest))
            {
                newest = pid;
                newestStart = start;
            }
        }
        return newest;
    }

    private static long? Field(int pid, string name)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith(name, StringComparison.Ordinal)) continue;
                string value = line[name.Length..].Trim();
                return long.Parse(value[..value.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return null;
    }
}
