namespace FossilSync.Tests.Infrastructure;

/// <summary>
/// The stock-to-stock wire captures shipped in TestData/captures and copied beside the test
/// assembly, so the suite reads nothing outside the repository.
/// </summary>
public static class TestCaptures
{
    /// <summary>Absolute path of the captures folder in the test output directory.</summary>
    public static string CapturesDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestData", "captures");

    /// <summary>Absolute path of a file under TestData/captures.</summary>
    public static string Capture(string relativePath)
    {
        string path = Path.Combine(CapturesDirectory, relativePath);
        if (!File.Exists(path)) throw new FileNotFoundException("capture missing from the test output (TestData/captures)", path);
        return path;
    }
}
