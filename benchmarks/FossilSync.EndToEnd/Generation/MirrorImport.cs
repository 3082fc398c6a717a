using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace FossilSync.EndToEnd.Generation;

/// <summary>
/// Imports a real Fossil-hosted project from a bare git mirror of it (by default Fossil's own
/// history, as the <c>fetch</c> tool leaves it under <c>/work/.mirror/</c>) into fossil with
/// <c>fossil import --git</c>. A snapshot may lack some blob objects, which stops a plain
/// <c>git fast-export</c> (and its hash check defeats <c>refs/replace/</c>), so the export runs
/// with <c>--no-data</c> and <see cref="BlobInliner"/> supplies each commit's blobs from
/// <c>git cat-file --batch</c> before the commit, a placeholder text naming a missing one.
/// git's <c>master</c> becomes fossil's <c>trunk</c> (fossil import's default), other branches
/// and tags keep their names. The mirror is only read.
/// </summary>
internal static class MirrorImport
{
    /// <summary>Where the mirror is looked for unless <c>--mirror DIR</c> names another.</summary>
    public const string DefaultGitFolder = "/work/.mirror/drhsqlite+fossil-mirror/repo";

    /// <summary>Imports <paramref name="gitFolder"/> into the new <paramref name="repository"/>.</summary>
    public static void Import(string gitFolder, string repository, TextWriter log)
    {
        string folder = Path.GetDirectoryName(repository)!;
        var clock = Stopwatch.StartNew();
        using var export = StartGit(gitFolder, "fast-export", "--branches", "--tags", "--signed-tags=strip", "--tag-of-filtered-object=drop", "--no-data");
        using var catFile = StartGit(gitFolder, "cat-file", "--batch");
        var exportErrors = export.StandardError.ReadToEndAsync();
        var inliner = new BlobInliner(catFile.StandardInput.BaseStream, catFile.StandardOutput.BaseStream);
        StreamingFossil.Run(folder, input => inliner.Copy(export.StandardOutput.BaseStream, input),
            "import", "--git", "--quiet", "--admin-user", BenchmarkRepositories.User, repository);
        export.WaitForExit();
        catFile.StandardInput.Close();
        catFile.WaitForExit();
        if (export.ExitCode != 0) throw new InvalidOperationException($"git fast-export exited {export.ExitCode}: {exportErrors.Result}");
        log.WriteLine($"  base.fossil imported from {gitFolder} in {clock.Elapsed.TotalSeconds:0.0} s: "
            + $"{inliner.Blobs} blobs, {inliner.Missing.Count} missing from the mirror (placeholders)");
    }

    private static Process StartGit(string gitFolder, params string[] args)
    {
        var psi = new ProcessStartInfo("git")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--git-dir");
        psi.ArgumentList.Add(gitFolder);
        foreach (string a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi) ?? throw new InvalidOperationException("could not start git");
    }
}

/// <summary>
/// Turns a <c>git fast-export --no-data</c> stream (file changes name blobs by hash) into one
/// <c>fossil import</c> reads: each commit is held until its blank closing line, every blob it
/// names that was not sent yet goes out first as a <c>blob</c> command with a mark of its own,
/// and the commit follows with marks in place of hashes. Submodule entries are dropped.
/// </summary>
internal sealed class BlobInliner(Stream batchInput, Stream batchOutput)
{
    private const int FirstMark = 1_000_000_000;
    private readonly Dictionary<string, int> _marks = new(StringComparer.Ordinal);
    private int _nextMark = FirstMark;

    /// <summary>How many blobs were sent.</summary>
    public int Blobs => _marks.Count;

    /// <summary>The hashes the mirror lacked.</summary>
    public List<string> Missing { get; } = [];

    public void Copy(Stream export, Stream import)
    {
        var input = new BufferedStream(export, 1 << 20);
        var commit = new MemoryStream();
        bool inCommit = false;
        while (ReadLine(input) is { } line)
        {
            if (line.StartsWith("data ", StringComparison.Ordinal))
            {
                var target = inCommit ? commit : import;
                Write(target, line + "\n");
                int length = int.Parse(line.AsSpan(5), CultureInfo.InvariantCulture);
                CopyExactly(input, target, length);
                continue;
            }
            if (line.StartsWith("commit ", StringComparison.Ordinal)) inCommit = true;
            if (!inCommit)
            {
                Write(import, line + "\n");
                continue;
            }
            if (line.Length == 0)
            {
                Write(commit, "\n");
                commit.Position = 0;
                commit.CopyTo(import);
                commit.SetLength(0);
                inCommit = false;
                continue;
            }
            if (line.StartsWith("M ", StringComparison.Ordinal))
            {
                string[] parts = line.Split(' ', 4);
                if (parts[1] == "160000") continue;
                if (parts[2].Length == 40 && parts[2].All(Uri.IsHexDigit))
                {
                    line = $"M {parts[1]} :{MarkOf(parts[2], import)} {parts[3]}";
                }
            }
            Write(commit, line + "\n");
        }
        if (commit.Length > 0)
        {
            commit.Position = 0;
            commit.CopyTo(import);
        }
    }

    private int MarkOf(string hash, Stream import)
    {
        if (_marks.TryGetValue(hash, out int mark)) return mark;
        mark = _nextMark++;
        _marks[hash] = mark;
        Write(batchInput, hash + "\n");
        batchInput.Flush();
        string header = ReadLine(batchOutput) ?? throw new InvalidOperationException("git cat-file --batch ended early");
        Write(import, $"blob\nmark :{mark}\n");
        if (header.EndsWith(" missing", StringComparison.Ordinal))
        {
            Missing.Add(hash);
            byte[] placeholder = Encoding.ASCII.GetBytes($"missing from the git mirror: {hash}\n");
            Write(import, $"data {placeholder.Length}\n");
            import.Write(placeholder);
        }
        else
        {
            int size = int.Parse(header.AsSpan(header.LastIndexOf(' ') + 1), CultureInfo.InvariantCulture);
            Write(import, $"data {size}\n");
            CopyExactly(batchOutput, import, size);
            batchOutput.ReadByte();   // the newline after the contents
        }
        Write(import, "\n");
        return mark;
    }

    private static void CopyExactly(Stream from, Stream to, int count)
    {
        byte[] buffer = new byte[Math.Min(count, 1 << 16)];
        while (count > 0)
        {
            int read = from.Read(buffer, 0, Math.Min(buffer.Length, count));
            if (read == 0) throw new InvalidOperationException("the git stream ended inside a data block");
            to.Write(buffer, 0, read);
            count -= read;
        }
    }

    /// <summary>One line without its newline (bytes as Latin-1, so paths pass through unchanged), or null at the end.</summary>
    private static string? ReadLine(Stream stream)
    {
        var bytes = new StringBuilder();
        int b;
        while ((b = stream.ReadByte()) >= 0 && b != '\n') bytes.Append((char)b);
        return b < 0 && bytes.Length == 0 ? null : bytes.ToString();
    }

    private static void Write(Stream stream, string text) => stream.Write(Encoding.Latin1.GetBytes(text));
}
