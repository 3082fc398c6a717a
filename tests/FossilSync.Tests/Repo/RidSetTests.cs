using FossilSync.Repo;

namespace FossilSync.Tests.Repo;

public sealed class RidSetTests
{
    [Fact]
    public void Holds_exactly_what_was_added_across_growth()
    {
        var set = new RidSet();
        long[] added = [0, 1, 63, 64, 4095, 4096, 200_001, 1L << 40];
        foreach (long rid in added) set.Add(rid);

        added.Should().OnlyContain(rid => set.Contains(rid));
        new long[] { 2, 62, 65, 4094, 4097, 200_000, 200_002, 10_000_000, (1L << 40) + 1, long.MaxValue, -1 }.Should().NotContain(rid => set.Contains(rid));
    }
}
