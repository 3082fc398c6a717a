using System.Text;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Xfer;

/// <summary>The real stock-to-stock exchanges in TestData/captures, split into header and body.</summary>
public static class CaptureFiles
{
    /// <summary>Every NN-request.txt / NN-reply.txt of the scenario folders.</summary>
    public static IEnumerable<string> DecompressedBodies() =>
        Directory.GetDirectories(TestCaptures.CapturesDirectory)
            .SelectMany(dir => Directory.GetFiles(dir, "*.txt"))
            .Where(f => !f.EndsWith(".annotated.txt", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    /// <summary>Every NN-*.wire file (exact bytes on the socket).</summary>
    public static IEnumerable<string> WireFiles() =>
        Directory.GetDirectories(TestCaptures.CapturesDirectory).SelectMany(dir => Directory.GetFiles(dir, "*.wire")).Order(StringComparer.Ordinal);

    public static string Relative(string path) => Path.GetRelativePath(TestCaptures.CapturesDirectory, path);

    public static (string Header, byte[] Body) Split(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        for (int i = 0; i + 3 < bytes.Length; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                return (Encoding.Latin1.GetString(bytes, 0, i), bytes[(i + 4)..]);
            }
        }
        throw new InvalidDataException($"{path} has no HTTP header end");
    }

    public static string ContentType(string header) =>
        header.Split("\r\n").Single(l => l.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))["Content-Type:".Length..].Trim();
}
