using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace FossilSync.AspNetCore;

/// <summary>
/// A folder of repositories served as stock <c>fossil server DIR</c> serves one: the request path
/// <c>/NAME</c>, or <c>/NAME/</c> followed by anything (<c>/NAME/xfer</c>), is the repository
/// <c>DIR/NAME.fossil</c>; NAME may go through sub-folders (<c>/team/NAME</c>). Give
/// <see cref="Resolve"/> to <see cref="FossilSyncEndpoints.MapFossilSync(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder, string, Func{HttpContext, string?}, FossilSync.Server.SyncServerOptions?)"/>.
/// </summary>
/// <remarks>
/// Names follow stock's rules (ASCII letters, digits, <c>_</c>, <c>-</c>, <c>.</c>; no segment
/// starting with <c>.</c> or <c>-</c>; no <c>..</c>), the file must be at least 1,024 bytes as
/// stock requires, and the file's real path, every symbolic link followed, must lie inside the
/// folder's real path. Anything else resolves to nothing, which the endpoint answers with 404.
/// </remarks>
public sealed class FossilRepositoryFolder
{
    private const string Extension = ".fossil";

    // Stock treats a smaller file as absent: no repository is that small.
    private const long MinimumRepositoryBytes = 1024;

    private readonly string _realPath;

    /// <summary>Serves the repositories in <paramref name="path"/>.</summary>
    /// <exception cref="DirectoryNotFoundException"><paramref name="path"/> is not an existing folder (checked now, so a wrong path fails at start-up).</exception>
    public FossilRepositoryFolder(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Path = System.IO.Path.GetFullPath(path);
        if (!Directory.Exists(Path)) throw new DirectoryNotFoundException($"folder {Path} does not exist");
        _realPath = RealPath.Of(Path) ?? throw new DirectoryNotFoundException($"folder {Path} is a loop of symbolic links");
    }

    /// <summary>The folder, as an absolute path.</summary>
    public string Path { get; }

    /// <summary>The repository file <paramref name="context"/>'s path names, or null when it names none (or one outside the folder).</summary>
    public string? Resolve(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        string? rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (!string.IsNullOrEmpty(rawTarget) && !RepositoryNameRules.IsPlainTarget(rawTarget)) return null;
        return ResolveName(context.Request.Path.Value ?? "")?.File;
    }

    /// <summary>
    /// Answers with stock's repository list (<c>--repolist</c>): an HTML table linking each
    /// repository's URL, or 404 when the folder holds none. Map it where the list belongs,
    /// e.g. <c>app.MapGet("/", folder.WriteRepositoryListAsync)</c>.
    /// </summary>
    public Task WriteRepositoryListAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return RepositoryListPage.WriteAsync(context, this);
    }

    /// <summary>
    /// The repository <paramref name="requestPath"/> (decoded, relative to the endpoint) names,
    /// with its name as a URL path; stock's walk: the first prefix whose <c>.fossil</c> file
    /// exists wins, and a prefix that is a folder lets the walk go on.
    /// </summary>
    internal (string Name, string File)? ResolveName(string requestPath)
    {
        string[] segments = requestPath.Split('/');
        // A path is "/" followed by segments; the first split part is the empty string before it.
        if (segments.Length < 2 || segments[0].Length != 0) return null;
        string candidate = Path;
        for (int i = 1; i < segments.Length; i++)
        {
            if (!RepositoryNameRules.IsAllowedSegment(segments[i])) return null;
            candidate = System.IO.Path.Join(candidate, segments[i]);
            // The real path first: a link's own length says nothing of the file it leads to.
            string? real = RealPath.Below(_realPath, string.Join('/', segments[1..(i + 1)]) + Extension);
            if (real is null) return null;
            var file = new FileInfo(real);
            if (file.Exists && file.Length >= MinimumRepositoryBytes)
            {
                return RealPath.IsUnder(real, _realPath) ? (string.Join('/', segments[1..(i + 1)]), real) : null;
            }
            if (i + 1 == segments.Length || !Directory.Exists(candidate)) return null;
        }
        return null;
    }

    /// <summary>
    /// Every repository a request can reach, by name (<c>team/NAME</c>), in order: the
    /// <c>.fossil</c> files under the folder that <see cref="Resolve"/> would serve under their
    /// own name (hidden files and folders, small files and names stock refuses are left out).
    /// </summary>
    internal IReadOnlyList<string> RepositoryNames()
    {
        var names = new List<string>();
        AddRepositoryNames(new DirectoryInfo(Path), names);
        names.Sort(StringComparer.OrdinalIgnoreCase);
        return names;
    }

    // Hidden entries are skipped, and linked folders are not entered (a link to a parent would
    // never end); a linked file is listed when it resolves inside the folder.
    private void AddRepositoryNames(DirectoryInfo directory, List<string> names)
    {
        var options = new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System };
        foreach (var entry in directory.EnumerateFileSystemInfos("*", options))
        {
            if (entry is DirectoryInfo folder)
            {
                if (folder.LinkTarget is null) AddRepositoryNames(folder, names);
                continue;
            }
            if (!entry.Name.EndsWith(Extension, StringComparison.Ordinal)) continue;
            string relative = System.IO.Path.GetRelativePath(Path, entry.FullName);
            string name = relative[..^Extension.Length].Replace(System.IO.Path.DirectorySeparatorChar, '/');
            if (ResolveName("/" + name) is { } found && found.Name == name) names.Add(name);
        }
    }
}
