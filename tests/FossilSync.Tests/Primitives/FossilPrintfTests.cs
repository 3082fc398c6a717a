using System.Text;
using FossilSync.Primitives;
using FossilSync.Repo.Artifacts;
using FossilSync.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace FossilSync.Tests.Primitives;

public sealed class FossilPrintfTests
{
    [Fact]
    public void Times_go_through_sql_text_exactly_as_stock_fossil_stores_them()
    {
        using var dir = new TempDirectory();
        string repo = dir.File("r.fossil");
        StockRepositoryBuilder.Build(repo, commits: 40, seed: 99);
        var stored = new List<(string Hash, double Mtime)>();
        using (var db = new SqliteConnection($"Data Source={repo};Mode=ReadOnly;Pooling=False"))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = "SELECT b.uuid, p.mtime FROM plink p JOIN blob b ON b.rid=p.cid";
            using var reader = cmd.ExecuteReader();
            while (reader.Read()) stored.Add((reader.GetString(0), reader.GetDouble(1)));
        }
        stored.Should().HaveCountGreaterThan(30);
        int roundedDifferently = 0;
        foreach (var (hash, mtime) in stored)
        {
            var manifest = ArtifactParser.Parse(StockFossil.Run(dir.Path, "artifact", hash, "-R", repo).StdoutBytes)!;
            JulianDay.ThroughSqlText(manifest.Date).Should().Be(mtime, $"plink.mtime of {hash}, D {JulianDay.Format(manifest.Date)}");
            if (manifest.Date != mtime) roundedDifferently++;
        }
        roundedDifferently.Should().BeGreaterThan(0, "the sample must include times the text round trip changes");
    }

    [Fact]
    public void Exact_values_keep_their_short_form()
    {
        FossilPrintf.FormatG17(2460263.5).Should().Be("2460263.5");
        FossilPrintf.FormatG17(1.0).Should().Be("1");
        FossilPrintf.FormatG17(0.25).Should().Be("0.25");
    }

    [Fact]
    public void Remembered_times_answer_as_the_formatting_does_whatever_the_order()
    {
        // Times a few milliseconds apart, asked for in a shuffled order with repeats, so recent
        // answers are found, replaced and collide in every way; each must be its own.
        var random = new Random(8);
        var times = Enumerable.Range(0, 300).Select(i => 2460000.5 + random.Next(0, 2000) / 86400000.0 + i).ToArray();
        var remembered = new RecentJulianDays();
        for (int i = 0; i < 5_000; i++)
        {
            double t = times[random.Next(i % 2 == 0 ? 4 : times.Length)];
            remembered.ThroughSqlText(t).Should().Be(JulianDay.ThroughSqlText(t));
        }
    }
}
