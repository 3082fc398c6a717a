using FossilSync.Repo;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo;

public sealed class NewRepositoryTests
{
    [Fact]
    public void A_repository_we_create_passes_integrity_rebuild_and_takes_a_stock_commit()
    {
        using var dir = new TempDirectory();
        string path = dir.File("ours.fossil");
        string projectCode;
        using (var repository = Repository.Create(path, new RepositoryOptions { AdminUser = "alice" }))
        {
            projectCode = repository.ProjectCode;
            projectCode.Should().MatchRegex("^[0-9a-f]{40}$");
        }
        new FileInfo(path).Length.Should().BeGreaterThanOrEqualTo(16834).And.Match(n => n % 512 == 0, "stock wants whole 512-byte pages");
        StockFossil.Run(dir.Path, "test-integrity", "-R", path).IntegrityOk.Should().BeTrue();
        StockFossil.Ok(dir.Path, "sql", "-R", path, "PRAGMA application_id").Trim().Should().Be("252006673");
        StockFossil.Ok(dir.Path, "sql", "-R", path, "PRAGMA journal_mode").Trim().Trim('\'').Should().Be("delete");

        string work = Path.Combine(dir.Path, "work");
        Directory.CreateDirectory(work);
        StockFossil.Ok(work, "open", path);
        File.WriteAllText(Path.Combine(work, "hello.txt"), "hello from stock fossil\n");
        StockFossil.Ok(work, "add", "hello.txt");
        StockFossil.Ok(work, "commit", "-m", "first", "--nosync", "--no-warnings", "--user", "alice");
        StockFossil.Ok(work, "close");
        StockFossil.Ok(dir.Path, "rebuild", path);
        StockFossil.Run(dir.Path, "test-integrity", "-R", path).IntegrityOk.Should().BeTrue();
        StockFossil.Ok(dir.Path, "timeline", "-R", path).Should().Contain("first");

        string[] hashes = StockFossil.Ok(dir.Path, "sql", "-R", path, "SELECT uuid FROM blob").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim('\'')).ToArray();
        hashes.Should().HaveCount(3, "the initial check-in, a manifest and a file");
        using var reopened = Repository.Open(path);
        reopened.ProjectCode.Should().Be(projectCode);
        foreach (string hash in hashes) reopened.HasArtifact(hash).Should().BeTrue();
        reopened.Verify().Should().Match<VerifyReport>(r => r.IsOk && r.Verified == 3);
    }

    [Fact]
    public void New_repositories_have_what_fossil_new_writes()
    {
        using var dir = new TempDirectory();
        using var repository = Repository.Create(dir.File("r.fossil"), new RepositoryOptions { AdminUser = "bob", Random = new Random(1) });
        repository.GetConfig("aux-schema").Should().Be("2015-01-24");
        repository.GetConfig("content-schema").Should().Be("2");
        repository.HashPolicy.Should().Be(FossilSync.Primitives.HashPolicy.Sha3);
        repository.Scalar<string>("SELECT group_concat(login || ':' || cap, ' ') FROM (SELECT login, cap FROM user ORDER BY uid)")
            .Should().Be("bob:s anonymous:hmnc nobody:gjorz developer:ei reader:kptw");
        repository.Scalar<string>("SELECT group_concat(tagname) FROM (SELECT tagname FROM tag ORDER BY tagid)").Should().Be("bgcolor,comment,user,date,hidden,private,cluster,branch,closed,parent,note,sym-trunk");
        repository.Scalar<long>("SELECT count(*) FROM reportfmt").Should().Be(1);
    }

    [Fact]
    public void Seeded_randomness_makes_the_same_codes()
    {
        using var dir = new TempDirectory();
        using var a = Repository.Create(dir.File("a.fossil"), new RepositoryOptions { Random = new Random(5) });
        using var b = Repository.Create(dir.File("b.fossil"), new RepositoryOptions { Random = new Random(5) });
        a.ProjectCode.Should().Be(b.ProjectCode);
        a.ServerCode.Should().NotBe(a.ProjectCode);
    }

    [Fact]
    public void Opening_something_that_is_not_a_repository_says_so()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("junk.fossil"), new string('x', 20000));
        var junk = () => Repository.Open(dir.File("junk.fossil"));
        junk.Should().Throw<RepositoryException>().WithMessage("*not a Fossil repository*");
        var missing = () => Repository.Open(dir.File("missing.fossil"));
        missing.Should().Throw<RepositoryException>().WithMessage("*does not exist*");
        using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={dir.File("other.db")};Pooling=False"))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = "CREATE TABLE blob(x)";
            cmd.ExecuteNonQuery();
        }
        var other = () => Repository.Open(dir.File("other.db"));
        other.Should().Throw<RepositoryException>().WithMessage("*no 'delta' table*");
    }
}
