namespace FossilSync.EndToEnd;

/// <summary>The FossilSync checkout this runs from: the nearest folder up holding FossilSync.sln.</summary>
internal static class SourceTree
{
    public static string? FindRoot()
    {
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "FossilSync.sln"))) return dir.FullName;
            }
        }
        return null;
    }
}
