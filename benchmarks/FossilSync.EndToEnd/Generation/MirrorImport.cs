using System.Diagnostics;

namespace FossilSync.EndToEnd.Generation;

/// <summary>
/// Imports a real Fossil-hosted project from a bare git mirror of it (by default Fossil's own
/// history, as the <c>fetch</c> tool leaves it under <c>/work/.mirror/</c>) with
/// <c>git fast-export --branches --tags | fossil import --git</c>. A snapshot may lack some blob objects,
/// which would stop <c>git fast-export</c>: each missing object is replaced, in a scratch git
/// folder that borrows the mirror's objects and copies its refs (the mirror is never written),
/// by a placeholder blob naming it (a <c>refs/replace/</c> ref, which every git command honours).
/// git's <c>master</c> becomes fossil's <c>trunk</c> (fossil import's default), other branches
/// and tags keep their names.
/// </summary>
internal static class MirrorImport
{
    /// <summary>Where the mirror is looked for unless <c>--mirror DIR</c> names another.</summary>
    public const string DefaultGitFolder = "/work/.mirror/drhsqlite+fossil-mirror/repo";

    /// <summary>Imports <paramref name="gitFolder"/> into the new <paramref name="repository"/>.</summary>
    public static void Import(string gitFolder, string repository, TextWriter log)
    {
        string folder = Path.GetDirectoryName(repository)!;
        string scratch = Path.Combine(folder, "scratch.git");
        Git(folder, null, "init", "--quiet", "--bare", scratch);
        File.WriteAllText(Path.Combine(scratch, "objects", "info", "alternates"), Path.Combine(Path.GetFullPath(gitFolder), "objects") + "\n");
        string refs = Git(folder, gitFolder, "for-each-ref", "--format=create %(refname) %(objectname)");
        GitInput(folder, scratch, refs, "update-ref", "--stdin");

        var clock = Stopwatch.StartNew();
        var missing = Git(folder, scratch, "rev-list", "--objects", "--all", "--missing=print")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.StartsWith('?'))
            .Select(line => line[1..].Trim())
            .ToList();
        foreach (string hash in missing)
        {
            string placeholder = GitInput(folder, scratch, $"missing from the git mirror: {hash}\n", "hash-object", "-w", "--stdin").Trim();
            Git(folder, scratch, "update-ref", $"refs/replace/{hash}", placeholder);
        }
        log.WriteLine($"  {missing.Count} objects missing from the mirror, replaced by placeholders ({clock.Elapsed.TotalSeconds:0.0} s)");

        clock.Restart();
        var export = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in (string[])["--git-dir", scratch, "fast-export", "--branches", "--tags", "--signed-tags=strip", "--tag-of-filtered-object=drop"]) export.ArgumentList.Add(a);
        using var git = Process.Start(export) ?? throw new InvalidOperationException("could not start git");
        var gitErrors = git.StandardError.ReadToEndAsync();
        StreamingFossil.Run(folder, input => git.StandardOutput.BaseStream.CopyTo(input),
            "import", "--git", "--quiet", "--admin-user", BenchmarkRepositories.User, repository);
        git.WaitForExit();
        if (git.ExitCode != 0) throw new InvalidOperationException($"git fast-export exited {git.ExitCode}: {gitErrors.Result}");
        Directory.Delete(scratch, recursive: true);
        log.WriteLine($"  base.fossil imported from {gitFolder} in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private static string GitInput(string workingDirectory, string? gitFolder, string? input, params string[] args)
    {
        var psi = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (gitFolder is not null)
        {
            psi.ArgumentList.Add("--git-dir");
            psi.ArgumentList.Add(gitFolder);
        }
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start git");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null) process.StandardInput.Write(input);
        process.StandardInput.Close();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }

    private static string Git(string workingDirectory, string? gitFolder, params string[] args) =>
        GitInput(workingDirectory, gitFolder, null, args);
}
