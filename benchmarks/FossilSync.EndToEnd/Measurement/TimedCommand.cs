using System.Diagnostics;
using System.Globalization;

namespace FossilSync.EndToEnd.Measurement;

/// <summary>What <c>/usr/bin/time</c> reported for one process.</summary>
internal sealed record ProcessCost(double WallSeconds, double CpuSeconds, long PeakRssKb);

/// <summary>How one timed command ended.</summary>
internal sealed record CommandOutcome(int ExitCode, ProcessCost? Cost, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0 && Cost is not null;
}

/// <summary>
/// Runs one command under GNU <c>/usr/bin/time -f '%e %U %S %M' -o FILE</c>: wall time, user and
/// system CPU and peak resident set size of that process, measured by the kernel, the same way
/// for a dotnet process and for stock fossil.
/// </summary>
internal static class TimedCommand
{
    private const string TimeExecutable = "/usr/bin/time";

    public static CommandOutcome Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> command, TimeSpan timeout)
    {
        string timeFile = Path.Combine(workingDirectory, "time.out");
        var psi = new ProcessStartInfo(TimeExecutable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "-f", "%e %U %S %M", "-o", timeFile }.Concat(command)) psi.ArgumentList.Add(a);
        foreach (var (name, value) in environment) psi.Environment[name] = value;

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {TimeExecutable}");
        process.StandardInput.Close();   // nothing may wait for an answer at a prompt
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new CommandOutcome(-1, null, stdout.Result, stderr.Result + $"\n(killed after {timeout.TotalMinutes:0} minutes)");
        }
        return new CommandOutcome(process.ExitCode, ReadCost(timeFile), stdout.Result, stderr.Result);
    }

    /// <summary>The last line of the time file ("Command exited with non-zero status N" may come first).</summary>
    private static ProcessCost? ReadCost(string timeFile)
    {
        if (!File.Exists(timeFile)) return null;
        string? last = File.ReadAllLines(timeFile).LastOrDefault(l => l.Trim().Length > 0);
        string[] parts = last?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (parts.Length != 4) return null;
        double Number(string s) => double.Parse(s, CultureInfo.InvariantCulture);
        return new ProcessCost(Number(parts[0]), Number(parts[1]) + Number(parts[2]), long.Parse(parts[3], CultureInfo.InvariantCulture));
    }
}
