using FossilSync.Primitives;
using Microsoft.Data.Sqlite;

namespace FossilSync.Tests.Primitives;

public sealed class JulianDayTests
{
    [Fact]
    public void Matches_sqlite_julianday_bit_for_bit()
    {
        using var db = new SqliteConnection("Data Source=:memory:");
        db.Open();
        var random = new Random(11);
        var inputs = new List<string> { "2024-01-02T03:04:05", "2024-01-02 03:04:05", "2000-02-29T23:59:59.999", "1970-01-01", "2023-02-26T19:24:24.123456", "2024-01-01T00:00", "2024-01-01T00:00:00Z", "2459000.5", "2461380.6511436", ".5", "5373484.4", "0" };
        for (int i = 0; i < 500; i++)
        {
            inputs.Add($"{random.Next(1600, 2200):D4}-{random.Next(1, 13):D2}-{random.Next(1, 29):D2}T{random.Next(24):D2}:{random.Next(60):D2}:{random.Next(60):D2}.{random.Next(1000):D3}");
        }
        foreach (string input in inputs)
        {
            using var cmd = db.CreateCommand();
            cmd.CommandText = "select julianday($t)";
            cmd.Parameters.AddWithValue("$t", input);
            double expected = (double)cmd.ExecuteScalar()!;
            JulianDay.Parse(input).Should().Be(expected, input);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("2024-13-01T00:00:00")]
    [InlineData("2024-01-01T25:00:00")]
    [InlineData("2024-01-01T00:00:00 junk")]
    [InlineData("yesterday")]
    [InlineData("5373484.5")]
    [InlineData("9999999")]
    [InlineData(".")]
    public void Rejects_what_sqlite_rejects(string input) => JulianDay.Parse(input).Should().BeNull();

    [Fact]
    public void Formats_as_fossil_writes_d_cards() =>
        JulianDay.Format(JulianDay.Parse("2024-01-02T03:04:05.678")!.Value).Should().Be("2024-01-02T03:04:05.678");
}
