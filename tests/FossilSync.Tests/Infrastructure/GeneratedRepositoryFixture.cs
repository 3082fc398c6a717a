namespace FossilSync.Tests.Infrastructure;

/// <summary>
/// A repository generated once per test class in its own temp folder; tests work on copies so
/// that none sees another's changes.
/// </summary>
public abstract class GeneratedRepositoryFixture : IDisposable
{
    private readonly TempDirectory _dir = new();

    protected GeneratedRepositoryFixture(string fileName) => Path = _dir.File(fileName);

    /// <summary>The pristine repository; copy it before changing anything.</summary>
    public string Path { get; }

    /// <summary>A folder that lives as long as the fixture (for running stock fossil in).</summary>
    protected string Folder => _dir.Path;

    /// <summary>A private copy of the repository in <paramref name="dir"/>.</summary>
    public string CopyTo(TempDirectory dir, string name = "copy.fossil")
    {
        string copy = dir.File(name);
        File.Copy(Path, copy);
        return copy;
    }

    public void Dispose()
    {
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }
}
