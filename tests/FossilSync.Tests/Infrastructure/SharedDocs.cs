namespace FossilSync.Tests.Infrastructure;

/// <summary>Locates shared/docs (beside the project root) and its wire captures.</summary>
public static class SharedDocs
{
    private static readonly Lazy<string> Root = new(Locate);

    /// <summary>Absolute path of a file under shared/docs/captures.</summary>
    public static string Capture(string relativePath) => Path.Combine(Root.Value, "captures", relativePath);

    /// <summary>Absolute path of shared/docs/captures.</summary>
    public static string CapturesDirectory => Path.Combine(Root.Value, "captures");

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FossilSync.sln")))
            {
                string docs = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "docs"));
                if (Directory.Exists(docs)) return docs;
                throw new DirectoryNotFoundException($"shared/docs is expected beside the project root, at {docs}");
            }
        }
        throw new DirectoryNotFoundException("could not find the project root (FossilSync.sln) above " + AppContext.BaseDirectory);
    }
}
