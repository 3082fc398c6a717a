using System.Globalization;
using FossilSync.Primitives;
using FossilSync.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace FossilSync.Tests.Primitives;

public sealed class SqlTextToRealTests
{
    [Fact]
    public void A_time_whose_text_stock_parses_one_unit_off_gets_stocks_value()
    {
        // Found by CI: a check-in at 2026-12-06T03:37:38.807, whose %.17g text lies
        // almost halfway between two doubles; stock's SQLite 3.41 rounds to the upper one.
        const string text = "2461380.6511436";
        double stock = double.Parse("2461380.6511436002329", CultureInfo.InvariantCulture);
        stock.Should().NotBe(double.Parse(text, CultureInfo.InvariantCulture), "the correctly rounded value is the other neighbour");
        SqlTextToReal.Parse(text).Should().Be(stock);

        double checkIn = JulianDay.Parse("2026-12-06T03:37:38.807")!.Value;
        FossilPrintf.FormatG17(checkIn).Should().Be(text);
        JulianDay.ThroughSqlText(checkIn).Should().Be(stock, "plink and event times must equal stock's to the bit");
    }

    [Fact]
    public void Times_and_numbers_parse_as_stock_fossils_sqlite_parses_them()
    {
        var random = new Random(21);
        var texts = new List<string>();
        for (int i = 0; i < 6_000; i++)
        {
            // Millisecond times from 1970 to 2100 as fossil writes them into SQL.
            long ms = (long)(2440587.5 * 86400000.0) + random.NextInt64(0, 130L * 365 * 86400000);
            texts.Add(FossilPrintf.FormatG17(ms / 86400000.0));
        }
        for (int i = 0; i < 2_000; i++)
        {
            string digits = string.Concat(Enumerable.Range(0, random.Next(1, 24)).Select(_ => (char)('0' + random.Next(10))));
            int dot = random.Next(digits.Length + 1);
            texts.Add(random.Next(4) == 0 ? digits : digits[..dot] + "." + digits[dot..]);
        }

        using var dir = new TempDirectory();
        string repo = dir.File("r.fossil");
        StockFossil.Ok(dir.Path, "init", repo);
        using (var db = new SqliteConnection($"Data Source={repo};Pooling=False"))
        {
            db.Open();
            using var tx = db.BeginTransaction();
            using var cmd = db.CreateCommand();
            cmd.CommandText = "CREATE TABLE parsed(n INTEGER PRIMARY KEY, text TEXT, value REAL)";
            cmd.ExecuteNonQuery();
            cmd.CommandText = "INSERT INTO parsed(n, text) VALUES($n, $t)";
            var n = cmd.Parameters.Add("$n", SqliteType.Integer);
            var t = cmd.Parameters.Add("$t", SqliteType.Text);
            for (int i = 0; i < texts.Count; i++)
            {
                n.Value = i;
                t.Value = texts[i];
                cmd.ExecuteNonQuery();
            }
            tx.Commit();
        }
        StockFossil.Ok(dir.Path, "sql", "-R", repo, "UPDATE parsed SET value = CAST(text AS REAL);");

        int mismatches = 0, offByRounding = 0;
        var report = new List<string>();
        using (var db = new SqliteConnection($"Data Source={repo};Mode=ReadOnly;Pooling=False"))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = "SELECT text, value FROM parsed ORDER BY n";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                string text = reader.GetString(0);
                double expected = reader.GetDouble(1);
                double? ours = SqlTextToReal.Parse(text);
                if (ours != expected && report.Count < 10) report.Add($"{text}: stock {expected:R}, ours {ours:R}");
                if (ours != expected) mismatches++;
                if (expected != double.Parse(text, CultureInfo.InvariantCulture)) offByRounding++;
            }
        }
        mismatches.Should().Be(0, string.Join("\n", report));
        offByRounding.Should().BeGreaterThan(0, "the sample must hold texts stock does not round correctly");
    }
}
