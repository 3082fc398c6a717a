using System.Diagnostics;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.EndToEnd;

/// <summary>
/// The two programs compared: stock fossil, and the FossilSync CLI built once in Release. By
/// default the CLI is published as a native (ahead-of-time compiled) executable, the way a
/// user who cares about speed deploys it, as fossil is, compiled for the instruction set of the
/// machine it runs on (as the JIT would; the portable default has no AVX at all, and the clone's
/// hash checker needs AVX-512 for its lanes); <c>--jit</c> runs the
/// framework-dependent <c>dotnet FossilSync.Cli.dll</c> instead. Never <c>dotnet run</c>, which
/// would time a build.
/// </summary>
internal sealed record Toolchain(string Fossil, IReadOnlyList<string> OurCommand, string Description)
{
    public IReadOnlyList<string> Ours(params string[] args) => [.. OurCommand, .. args];

    public IReadOnlyList<string> Stock(params string[] args) => [Fossil, .. args];

    public IReadOnlyList<string> StockServer => Stock("server", "--port", "{port}", "--localhost", "{repo}");

    public IReadOnlyList<string> OurServer => Ours("serve", "{repo}", "--port", "{port}", "--host", "127.0.0.1");

    /// <summary>Where the native CLI is published unless <c>--cli-dir</c> says otherwise.</summary>
    public static string DefaultNativeFolder => Path.Combine(Path.GetTempPath(), "fossilsync-e2e-cli");

    /// <summary>
    /// Builds <c>src/FossilSync.Cli</c> in Release from the repository at <paramref name="root"/>;
    /// the native executable goes to <paramref name="nativeFolder"/>, so two checkouts can
    /// benchmark side by side without overwriting each other's binary.
    /// </summary>
    public static Toolchain Build(string root, bool native, string nativeFolder, TextWriter log, bool prebuilt = false)
    {
        string project = Path.Combine(root, "src", "FossilSync.Cli");
        if (native && prebuilt)
        {
            // A native publish takes many minutes on a loaded machine; a run after one may reuse it.
            string existing = Path.Combine(nativeFolder, "FossilSync.Cli");
            if (!File.Exists(existing)) throw new InvalidOperationException($"--prebuilt: there is no {existing}");
            log.WriteLine($"using the native executable already in {nativeFolder} (built {File.GetLastWriteTimeUtc(existing):yyyy-MM-dd HH:mm} UTC)");
            return new Toolchain(StockFossil.Executable, [existing], "native (AOT) fossilsync, prebuilt");
        }
        if (native)
        {
            string output = nativeFolder;
            log.WriteLine($"publishing {project} as a native executable into {output} ...");
            Dotnet("publish", project, "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-p:IlcInstructionSet=native", "-p:PackAsTool=false", "--nologo", "-v", "q", "-o", output);
            string executable = Path.Combine(output, "FossilSync.Cli");
            if (!File.Exists(executable)) throw new InvalidOperationException($"the publish did not produce {executable}");
            return new Toolchain(StockFossil.Executable, [executable], "native (AOT) fossilsync");
        }
        log.WriteLine($"building {project} (Release) ...");
        Dotnet("build", "-c", "Release", "--nologo", "-v", "q", project);
        string dll = Path.Combine(project, "bin", "Release", "net10.0", "FossilSync.Cli.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"the build did not produce {dll}");
        return new Toolchain(StockFossil.Executable, ["dotnet", dll], "dotnet FossilSync.Cli.dll (JIT)");
    }

    private static void Dotnet(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"dotnet {string.Join(' ', args)} failed:\n{stdout}\n{stderr.Result}");
    }
}
