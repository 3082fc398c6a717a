using System.Diagnostics;
using System.Text;

namespace FossilSync.Tests.Infrastructure;

/// <summary>
/// Runs the real stock fossil binary. Interop tests depend on it and fail (never skip) when it
/// is missing: the README's test command installs it.
/// </summary>
public static class StockFossil
{
    private static readonly Lazy<string> ExecutablePath = new(Locate);

    /// <summary>Path of the fossil executable; throws with instructions when it is not installed.</summary>
    public static string Executable => ExecutablePath.Value;

    /// <summary>Runs fossil with <paramref name="args"/> in <paramref name="workingDirectory"/>; returns its result, whatever the exit code.</summary>
    public static FossilResult Run(string workingDirectory, params string[] args) =>
        RunWithInput(workingDirectory, stdin: null, args);

    /// <summary>Runs fossil feeding <paramref name="stdin"/> to its standard input.</summary>
    public static FossilResult RunWithInput(string workingDirectory, byte[]? stdin, params string[] args)
    {
        var psi = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in args) psi.ArgumentList.Add(a);
        // fossil refuses to run without a user name, and must never read the developer's own
        // ~/.fossil or settings: give every run a private home.
        psi.Environment["USER"] = "fossilsync-test";
        psi.Environment["FOSSIL_USER"] = "fossilsync-test";
        psi.Environment["HOME"] = workingDirectory;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start fossil");
        var stdout = new MemoryStream();
        var stderrTask = process.StandardError.ReadToEndAsync();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        if (stdin is not null) process.StandardInput.BaseStream.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"fossil {string.Join(' ', args)} did not finish in 5 minutes");
        }
        copy.GetAwaiter().GetResult();
        return new FossilResult(process.ExitCode, stdout.ToArray(), stderrTask.GetAwaiter().GetResult(), args);
    }

    /// <summary>Runs fossil and throws unless it exits 0.</summary>
    public static string Ok(string workingDirectory, params string[] args)
    {
        var result = Run(workingDirectory, args);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"fossil {string.Join(' ', args)} exited {result.ExitCode}:\n{result.Stdout}\n{result.Stderr}");
        }
        return result.Stdout;
    }

    /// <summary>
    /// Commits one new file to <paramref name="repository"/> with stock fossil, through a
    /// throw-away check-out in <paramref name="workDirectory"/> that never autosyncs.
    /// </summary>
    public static void CommitInCheckout(string repository, string workDirectory, string file, string text, string comment, string user, bool isPrivate = false) =>
        CommitInCheckout(repository, workDirectory, file, Encoding.UTF8.GetBytes(text), comment, user, isPrivate);

    /// <summary>As the text overload, with the file's bytes.</summary>
    public static void CommitInCheckout(string repository, string workDirectory, string file, byte[] content, string comment, string user, bool isPrivate = false)
    {
        Directory.CreateDirectory(workDirectory);
        Ok(workDirectory, "open", repository, "--nosync");
        Ok(workDirectory, "settings", "autosync", "off");
        File.WriteAllBytes(Path.Combine(workDirectory, file), content);
        Ok(workDirectory, "add", file);
        Ok(workDirectory, isPrivate
            ? ["commit", "--private", "-m", comment, "--nosync", "--no-warnings", "--user", user]
            : ["commit", "-m", comment, "--nosync", "--no-warnings", "--user", user]);
        Ok(workDirectory, "close");
    }

    private static string Locate()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, "fossil");
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException(
            "stock fossil is not installed, and the interop tests need it. Run the README's test command " +
            "(./test.sh installs it with apt-get) or `apt-get install -y fossil`.");
    }
}

/// <summary>What one fossil run produced.</summary>
public sealed record FossilResult(int ExitCode, byte[] StdoutBytes, string Stderr, string[] Args)
{
    public string Stdout => Encoding.UTF8.GetString(StdoutBytes);

    /// <summary>
    /// True when a <c>fossil test-integrity</c> report says all is well. Its exit code is 0
    /// even when it finds errors, so the text is what counts.
    /// </summary>
    public bool IntegrityOk =>
        System.Text.RegularExpressions.Regex.IsMatch(Stdout, @"checked:\s+0 errors")
        && Stdout.Contains("low-level database integrity-check: ok");
}
