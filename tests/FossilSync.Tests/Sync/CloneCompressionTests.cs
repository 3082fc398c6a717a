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

    [Fact]
    public async Task Versions_that_swap_names_are_never_stored_as_deltas_of_each_other()
    {
        // x holds A then B, y holds B then A: each name alone would make A and B deltas of each other.
        string a = string.Join('\n', Enumerable.Range(0, 200).Select(i => $"line {i} of a text both files share")) + "\n";
        string b = a.Replace("line 100 ", "changed line 100 ");
        string served = _dir.File("served.fossil");
        var stream = new System.Text.StringBuilder();
        int mark = 0;
        string Blob(string text) { mark++; stream.Append($"blob\nmark :{mark}\ndata {text.Length}\n{text}\n"); return $":{mark}"; }
        string a1 = Blob(a), b1 = Blob(b), root = Blob("root\n");
        // Stock's pass, like ours, looks only at versions of check-ins that have a parent.
        stream.Append($"commit refs/heads/trunk\nmark :{++mark}\ncommitter a <a@x> 1700000000 +0000\ndata 2\nc0\nM 100644 {root} x\nM 100644 {root} y\n\n");
        stream.Append($"commit refs/heads/trunk\nmark :{++mark}\ncommitter a <a@x> 1700000100 +0000\ndata 2\nc1\nfrom :{mark - 1}\nM 100644 {a1} x\nM 100644 {b1} y\n\n");
        stream.Append($"commit refs/heads/trunk\nmark :{++mark}\ncommitter a <a@x> 1700000200 +0000\ndata 2\nc2\nfrom :{mark - 1}\nM 100644 {b1} x\nM 100644 {a1} y\n\n");
        var imported = StockFossil.RunWithInput(_dir.Path, System.Text.Encoding.ASCII.GetBytes(stream.ToString()), "import", "--git", served);
        imported.ExitCode.Should().Be(0, imported.Stderr);
        // Every artifact a full text on the server, so the clone receives them as such.
        string checkout = _dir.File("checkout");
        Directory.CreateDirectory(checkout);
        StockFossil.Ok(checkout, "open", served, "--nosync");
        foreach (string rid in StockFossil.Ok(checkout, "sql", "SELECT rid FROM delta").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            StockFossil.Ok(checkout, "test-content-undelta", rid.Trim());
        }
        StockFossil.Ok(checkout, "close");
        StockFossil.Ok(_dir.Path, "sql", "-R", served, "SELECT count(*) FROM delta").Trim().Should().Be("0");
        using var server = new StockServer(served);

        string clone = _dir.File("clone.fossil");
        var (repository, _) = await FossilClient.CloneAsync(new HttpTransport(server.Url), clone, new CloneOptions());
        using (repository)
        {
            repository.Verify().Problems.Should().BeEmpty();
        }
        StockFossil.Ok(_dir.Path, "sql", "-R", clone, "SELECT count(*) FROM delta WHERE rid IN (SELECT fid FROM mlink JOIN blob ON blob.rid=mlink.fid WHERE blob.size>=50)").Trim()
            .Should().Be("1", "one of A and B becomes a delta of the other, never both");
        StockFossil.Ok(_dir.Path, "test-integrity", "-R", clone).Should().Contain("0 errors");
    }
}
