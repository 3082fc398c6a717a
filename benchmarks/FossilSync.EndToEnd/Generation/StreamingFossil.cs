using System.Diagnostics;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.EndToEnd.Generation;

/// <summary>
/// Runs stock fossil with no time limit (a large import takes many minutes), its standard input
/// written as it is generated, so a <c>fossil import</c> stream of a gigabyte is never held in memory.
/// </summary>
internal static class StreamingFossil
{
    public static void Run(string workingDirectory, Action<Stream> writeInput, params string[] args)
    {
        var psi = new ProcessStartInfo(StockFossil.Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args) psi.ArgumentList.Add(a);
        psi.Environment["USER"] = BenchmarkRepositories.User;
        psi.Environment["HOME"] = workingDirectory;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start fossil");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var input = new BufferedStream(process.StandardInput.BaseStream, 1 << 20))
        {
            writeInput(input);
        }
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"fossil {string.Join(' ', args)} exited {process.ExitCode}:\n{stdout.Result}\n{stderr.Result}");
        }
    }
}
