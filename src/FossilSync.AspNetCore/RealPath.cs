namespace FossilSync.AspNetCore;

/// <summary>
/// The path a name finally refers to once every symbolic link along it is followed, as the
/// system's <c>realpath</c> gives it: what a containment check must compare, since a link inside
/// a folder may point anywhere.
/// </summary>
internal static class RealPath
{
    // As the Linux kernel: more links than this on one path is a loop.
    private const int MaxLinks = 40;

    /// <summary>The real path of <paramref name="path"/> (made absolute first); null when its links loop.</summary>
    /// <remarks>
    /// Components are followed one at a time, so a <c>..</c> after a link leaves the link's
    /// target, not the link, as the kernel does. A component that does not exist is kept as
    /// written.
    /// </remarks>
    public static string? Of(string path)
    {
        string full = Path.GetFullPath(path);
        string root = Path.GetPathRoot(full)!;
        return Below(root, full[root.Length..]);
    }

    /// <summary>
    /// The real path of <paramref name="relative"/> taken from <paramref name="realFolder"/>, a
    /// real path already, so only the components of <paramref name="relative"/> are looked at
    /// (a request's cost does not grow with the folder's depth); null when its links loop. A
    /// link may lead anywhere: the caller checks where the result is.
    /// </summary>
    public static string? Below(string realFolder, string relative)
    {
        string root = Path.GetPathRoot(realFolder)!;
        var pending = new Queue<string>(Components(relative));
        string resolved = realFolder;
        int links = 0;
        while (pending.TryDequeue(out string? component))
        {
            if (component == ".") continue;
            if (component == "..")
            {
                resolved = Path.GetDirectoryName(resolved) ?? root;
                continue;
            }
            string next = Path.Join(resolved, component);
            string? target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                resolved = next;
                continue;
            }
            if (++links > MaxLinks) return null;
            if (Path.IsPathRooted(target)) resolved = Path.GetPathRoot(target)!;
            pending = new Queue<string>(Components(Path.IsPathRooted(target) ? target[Path.GetPathRoot(target)!.Length..] : target).Concat(pending));
        }
        return resolved;
    }

    /// <summary>True when <paramref name="path"/> lies beneath <paramref name="folder"/> (both real paths).</summary>
    public static bool IsUnder(string path, string folder) =>
        path.StartsWith(Path.EndsInDirectorySeparator(folder) ? folder : folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static IEnumerable<string> Components(string path) =>
        path.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
}
