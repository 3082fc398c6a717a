using System.Diagnostics;
using System.Text.Json;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.PackageTests;

/// <summary>
/// A console app that references only the FossilSync package clones from a stock
/// <c>fossil server</c>, and needs nothing but the base .NET runtime to do it.
/// </summary>
public sealed class CloneConsoleTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void CloneConsole_clones_every_artifact_from_stock_fossil_server()
    {
        string served = _dir.File("served.fossil");
        StockRepositoryBuilder.Build(served, commits: 20, seed: 5);
        string clone = _dir.File("clone.fossil");

        using (var server = new StockServer(served))
        {
            var (exitCode, output) = RunSample(server.Url.ToString(), clone);
            exitCode.Should().Be(0, output);
            output.Should().Contain("cloned project " + Query(served, "SELECT value FROM config WHERE name='project-code'"));
        }

        string artifacts = "SELECT uuid FROM blob WHERE size>=0 AND rid NOT IN private ORDER BY uuid";
        Query(clone, artifacts).Should().Be(Query(served, artifacts));
        StockFossil.Run(_dir.Path, "test-integrity", "-R", clone).IntegrityOk.Should().BeTrue();
    }

    [Fact]
    public void CloneConsole_needs_only_the_base_runtime_and_the_OpenTelemetry_API()
    {
        using var runtimeConfig = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "CloneConsole.runtimeconfig.json")));
        var options = runtimeConfig.RootElement.GetProperty("runtimeOptions");
        var frameworks = options.TryGetProperty("frameworks", out var list)
            ? list.EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToArray()
            : [options.GetProperty("framework").GetProperty("name").GetString()];
        frameworks.Should().Equal("Microsoft.NETCore.App");

        using var deps = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "CloneConsole.deps.json")));
        var packages = deps.RootElement.GetProperty("libraries").EnumerateObject().Select(l => l.Name.Split('/')[0]).ToArray();
        packages.Should().Contain("FossilSync").And.Contain("OpenTelemetry.Api");
        packages.Should().NotContain(p => p.StartsWith("Microsoft.AspNetCore", StringComparison.OrdinalIgnoreCase), "the core package must not bring ASP.NET Core");
        packages.Should().NotContain("OpenTelemetry", "the core package needs the OpenTelemetry API, never the SDK");
    }

    // fossil sql quotes every text value.
    private string Query(string repository, string sql) => StockFossil.Ok(_dir.Path, "sql", "-R", repository, sql).Replace("'", "").Trim();

    // The sample as its own process, exactly as a user would start it.
    private static (int ExitCode, string Output) RunSample(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CloneConsole.dll"));
        foreach (string arg in args) psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the sample");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the sample did not finish in two minutes");
        }
        return (process.ExitCode, stdout + stderr.Result);
    }
}
