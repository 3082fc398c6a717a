using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace FossilSync.Tests.Repo;

public sealed class StockRepositoryInteropTests(StockRepositoryFixture stock) : IClassFixture<StockRepositoryFixture>
{
    [Fact]
    public void Every_artifact_of_a_stock_repository_reads_back_with_its_hash()
    {
        using var dir = new TempDirectory();
        string path = stock.CopyTo(dir);
        string[] expected = StockFossil.Ok(dir.Path, "sql", "-R", path, "SELECT uuid FROM blob WHERE size>=0 ORDER BY uuid")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim('\'')).ToArray();
        long deltas = long.Parse(StockFossil.Ok(dir.Path, "sql", "-R", path, "SELECT count(*) FROM delta").Trim());
        deltas.Should().BeGreaterThan(50, "the fixture must exercise delta chains");

        using var repository = Repository.Open(path);
        repository.ListArtifacts().Should().Equal(expected);
        foreach (string hash in expected)
        {
            byte[] content = repository.GetArtifact(hash)!;
            ArtifactHash.Matches(hash, content).Should().BeTrue($"artifact {hash} must expand to content with that hash");
        }
        // And byte for byte what stock fossil itself returns, for a sample.
        foreach (string hash in expected.Where((_, i) => i % 25 == 0))
        {
            StockFossil.Run(dir.Path, "artifact", hash, "-R", path).StdoutBytes.Should().Equal(repository.GetArtifact(hash));
        }
    }

    [Fact]
    public async Task Verify_agrees_with_fossil_test_integrity_on_a_good_repository()
    {
        using var dir = new TempDirectory();
        string path = stock.CopyTo(dir);
        StockFossil.Run(dir.Path, "test-integrity", "-R", path).IntegrityOk.Should().BeTrue();

        var (exit, stdout, _) = await RunCli("verify", path);
        exit.Should().Be(0);
        long count = long.Parse(StockFossil.Ok(dir.Path, "sql", "-R", path, "SELECT count(*) FROM blob WHERE size>=0").Trim());
        stdout.Should().Contain($"{count} artifacts verified");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Verify_and_fossil_test_integrity_both_fail_on_a_corrupted_copy(bool corruptADelta)
    {
        using var dir = new TempDirectory();
        string path = stock.CopyTo(dir);
        string victim;
        using (var db = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            db.Open();
            using var pick = db.CreateCommand();
            pick.CommandText = corruptADelta
                ? "SELECT rid, uuid FROM blob WHERE rid IN (SELECT rid FROM delta) AND size>100 ORDER BY rid LIMIT 1"
                : "SELECT rid, uuid FROM blob WHERE rid NOT IN (SELECT rid FROM delta) AND size>100 ORDER BY rid LIMIT 1";
            using var reader = pick.ExecuteReader();
            reader.Read().Should().BeTrue();
            long rid = reader.GetInt64(0);
            victim = reader.GetString(1);
            reader.Close();
            // Replace the content with a valid envelope of different bytes: it still expands,
            // but to the wrong content.
            using var update = db.CreateCommand();
            update.CommandText = "UPDATE blob SET content=$c WHERE rid=$r";
            byte[] original = corruptADelta ? FossilDelta.Create("x"u8, "not the real content of this artifact"u8) : "not the real content"u8.ToArray();
            update.Parameters.AddWithValue("$c", BlobCompression.Compress(original));
            update.Parameters.AddWithValue("$r", rid);
            update.ExecuteNonQuery();
        }

        StockFossil.Run(dir.Path, "test-integrity", "-R", path).IntegrityOk.Should().BeFalse("stock must see the corruption too");
        var (exit, _, stderr) = await RunCli("verify", path);
        exit.Should().Be(1);
        stderr.Should().Contain(victim);
    }

    [Fact]
    public void Artifacts_we_store_in_a_stock_repository_are_read_back_by_stock_fossil()
    {
        using var dir = new TempDirectory();
        string path = stock.CopyTo(dir);
        byte[] first = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 400).Select(i => $"row {i}\n")));
        byte[] second = [.. first, .. "one more row\n"u8];
        string firstHash, secondHash;
        using (var repository = Repository.Open(path))
        {
            using var tx = repository.BeginTransaction();
            firstHash = repository.PutArtifact(first);
            secondHash = repository.PutArtifact(second);
            long firstRid = repository.Content.FindRid(firstHash)!.Value;
            long secondRid = repository.Content.FindRid(secondHash)!.Value;
            repository.Content.Deltify(firstRid, secondRid).Should().BeTrue("a near-copy is worth storing as a delta");
            tx.Commit();
        }
        StockFossil.Run(dir.Path, "artifact", firstHash, "-R", path).StdoutBytes.Should().Equal(first);
        StockFossil.Run(dir.Path, "artifact", secondHash, "-R", path).StdoutBytes.Should().Equal(second);
        StockFossil.Run(dir.Path, "test-integrity", "-R", path).IntegrityOk.Should().BeTrue();
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunCli(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = await FossilSync.Cli.CommandLine.RunAsync(args, stdout, stderr, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
