using System.Diagnostics;

namespace FossilSync.Benchmarks;

/// <summary>
/// A repository made by stock fossil from a <c>git fast-export</c> stream (<c>fossil import
/// --git</c>), so that what a benchmark reads is stock's own storage: its deltas, its manifests.
/// </summary>
internal static class StockGitImport
{
    /// <summary>Creates <paramref name="path"/> from <paramref name="stream"/>; throws with stock's output when the import fails.</summary>
    public static void Run(string path, string stream)
    {
        var psi = new ProcessStartInfo("fossil", ["import", "--git", path])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(path)!,
        };
        psi.Environment["USER"] = "bench";
        psi.Environment["HOME"] = Path.GetDirectoryName(path)!;
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stream);
        process.StandardInput.Close();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"fossil import failed: {output.Result}{errors.Result}");
    }
}
