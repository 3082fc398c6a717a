using System.Text.RegularExpressions;

namespace FossilSync.Tests.Repo;

/// <summary>
/// The folder rules that keep the database engine inside Repo and Repo free of a cycle with
/// Repo.Crosslink, checked on the source files (a type referenced only in a method body is
/// invisible to reflection over signatures).
/// </summary>
public sealed partial class LayeringTests
{
    private static readonly string Library = FindLibrarySource();

    [Fact]
    public void No_Repo_type_outside_Crosslink_refers_to_a_Crosslink_type()
    {
        string crosslinkFolder = Path.Combine(Library, "Repo", "Crosslink");
        var crosslinkTypes = Directory.EnumerateFiles(crosslinkFolder, "*.cs")
            .SelectMany(file => TypeDeclaration().Matches(Code(file)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
        crosslinkTypes.Should().Contain(["Rebuilder", "Crosslinker", "DerivedDb"]);

        var offenders = new List<string>();
        foreach (string file in Directory.EnumerateFiles(Path.Combine(Library, "Repo"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.StartsWith(crosslinkFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue;
            string code = Code(file);
            if (code.Contains("Crosslink.", StringComparison.Ordinal)) offenders.Add($"{Path.GetFileName(file)}: Crosslink.");
            foreach (Match word in Identifier().Matches(code))
            {
                if (crosslinkTypes.Contains(word.Value)) offenders.Add($"{Path.GetFileName(file)}: {word.Value}");
            }
        }
        offenders.Should().BeEmpty("Repo.Crosslink depends on Repo, so Repo must not depend on it");
    }

    [Fact]
    public void No_folder_outside_Repo_refers_to_Microsoft_Data_Sqlite()
    {
        string repoFolder = Path.Combine(Library, "Repo") + Path.DirectorySeparatorChar;
        var offenders = Directory.EnumerateFiles(Library, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.StartsWith(repoFolder, StringComparison.Ordinal) && !IsBuildOutput(file))
            .Where(file => SqliteName().IsMatch(Code(file)))
            .Select(Path.GetFileName)
            .ToList();
        offenders.Should().BeEmpty("only Repo knows the database engine; the layers above see RepositoryException");
    }

    // The source without its comments (a comment may name anything).
    private static string Code(string file) => LineComment().Replace(File.ReadAllText(file), "");

    private static bool IsBuildOutput(string file) =>
        file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
        || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal);

    private static string FindLibrarySource()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "src", "FossilSync");
            if (File.Exists(Path.Combine(candidate, "FossilSync.csproj"))) return candidate;
        }
        throw new InvalidOperationException($"no src/FossilSync above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"//.*$", RegexOptions.Multiline)]
    private static partial Regex LineComment();

    [GeneratedRegex(@"\b(?:class|struct|record|interface|enum)\s+(?:struct\s+|class\s+)?(\w+)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"\bSqlite\w*|Microsoft\.Data\.Sqlite|\bSQLitePCL\b")]
    private static partial Regex SqliteName();
}
