using System.Diagnostics;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.EndToEnd;

/// <summary>
/// The two programs compared: stock fossil, and the FossilSync CLI built once in Release and
/// run as <c>dotnet FossilSync.Cli.dll</c> (never <c>dotnet run</c>, which would time a build).
/// </summary>
internal sealed record Toolchain(string Fossil, string CliDll)
{
    public IReadOnlyList<string> Ours(params string[] args) => ["dotnet", CliDll, .. args];

    public IReadOnlyList<string> Stock(params string[] args) => [Fossil, .. args];

    public IReadOnlyList<string> StockServer => Stock("server", "--port", "{port}", "--localhost", "{repo}");

    public IReadOnlyList<string> OurServer => Ours("serve", "{repo}", "--port", "{port}", "--host", "127.0.0.1");

    /// <summary>Builds <c>src/FossilSync.Cli</c> in Release from the repository at <paramref name="root"/>.</summary>
    public static Toolchain Build(string root, TextWriter log)
    {
        string project = Path.Combine(root, "src", "FossilSync.Cli");
        log.WriteLine($"building {project} (Release) ...");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "build", "-c", "Release", "--nologo", "-v", "q", project }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet build");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"dotnet build {project} failed:\n{stdout}\n{stderr.Result}");
        string dll = Path.Combine(project, "bin", "Release", "net10.0", "FossilSync.Cli.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"the build did not produce {dll}");
        return new Toolchain(StockFossil.Executable, dll);
    }
}
