using System.Text;
using FossilSync.Repo.Artifacts;

namespace FossilSync.Tests.Repo.Artifacts;

public sealed class FileCardCacheTests
{
    [Fact]
    public void The_line_table_holds_at_most_two_generations()
    {
        var cache = new FileCardCache(generationSize: 4);
        for (int i = 0; i < 50; i++)
        {
            cache.BeginArtifact();
            cache.Add(Line(i), FileOf(i));
            cache.Count.Should().BeLessThanOrEqualTo(8, $"after {i + 1} lines");
        }
        cache.BeginArtifact();
        Found(cache, 49).Should().BeTrue("the newest line is kept");
        Found(cache, 0).Should().BeFalse("the oldest went with its generation");
    }

    [Fact]
    public void A_line_found_again_outlives_the_generations_that_pass()
    {
        var cache = new FileCardCache(generationSize: 4);
        cache.BeginArtifact();
        cache.Add(Line(-1), FileOf(-1));
        for (int i = 0; i < 60; i++)
        {
            cache.Add(Line(i), FileOf(i));
            if (i % 3 == 2) Found(cache, -1).Should().BeTrue($"it was found after {i + 1} newer lines");
        }
    }

    private static bool Found(FileCardCache cache, int i) => cache.TryGet(Line(i), out var file, out _) && file!.Name == FileOf(i).Name;

    private static byte[] Line(int i) => Encoding.ASCII.GetBytes($"F f{i}.txt {Hash(i)}");

    private static ArtifactFile FileOf(int i) => new($"f{i}.txt", Hash(i), null, null);

    private static string Hash(int i) => Convert.ToHexStringLower(BitConverter.GetBytes((long)i)).PadLeft(40, '0');
}
