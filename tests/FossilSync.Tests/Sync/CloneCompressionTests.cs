using FossilSync.Http;
using FossilSync.Repo;
using FossilSync.Sync;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Sync;

/// <summary>
/// A clone ends, as stock's does, by re-storing full texts as deltas against their newer
/// relatives: a smaller file with the same content, which stock's own integrity check accepts.
/// </summary>
public sealed class CloneCompressionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_compressed_clone_is_smaller_holds_the_same_artifacts_and_passes_stock_integrity()
    {
        string served = _dir.File("served.fossil");
        StockRepositoryBuilder.Build(served, commits: 120, seed: 41);
        using var server = new StockServer(served);

        string plain = _dir.File("plain.fossil"), compressed = _dir.File("compressed.fossil");
        var (a, _) = await FossilClient.CloneAsync(new HttpTransport(server.Url), plain, new CloneOptions { ExtraDeltaCompression = false });
        var (b, _) = await FossilClient.CloneAsync(new HttpTransport(server.Url), compressed, new CloneOptions());
        int plainDeltas, compressedDeltas;
        using (a)
        using (b)
        {
            b.ListArtifacts().Should().Equal(a.ListArtifacts());
            foreach (string hash in a.ListArtifacts()) b.GetArtifact(hash).Should().Equal(a.GetArtifact(hash), hash);
            b.Verify().Problems.Should().BeEmpty();
            plainDeltas = int.Parse(StockFossil.Ok(_dir.Path, "sql", "-R", plain, "SELECT count(*) FROM delta").Trim());
            compressedDeltas = int.Parse(StockFossil.Ok(_dir.Path, "sql", "-R", compressed, "SELECT count(*) FROM delta").Trim());
        }
        compressedDeltas.Should().BeGreaterThan(plainDeltas);
        new FileInfo(compressed).Length.Should().BeLessThan(new FileInfo(plain).Length);
        string integrity = StockFossil.Ok(_dir.Path, "test-integrity", "-R", compressed);
        integrity.Should().Contain("0 errors");
        Console.WriteLine($"plain {new FileInfo(plain).Length} B, {plainDeltas} deltas; compressed {new FileInfo(compressed).Length} B, {compressedDeltas} deltas");
    }
}
