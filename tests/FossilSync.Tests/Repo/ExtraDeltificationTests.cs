using System.Text;
using FossilSync.Primitives;
using FossilSync.Repo;

namespace FossilSync.Tests.Repo;

public sealed class ExtraDeltificationTests
{
    [Fact]
    public void A_pair_is_tried_without_a_copy_of_its_target()
    {
        byte[] source = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 100_000).Select(i => $"line {i}\n")));
        byte[] target = [.. source, .. "one more line\n"u8];
        byte[]? delta = null;
        long allocated = 0;
        // The first try rents the arrays the next ones reuse.
        for (int attempt = 0; attempt < 2; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            delta = ExtraDeltification.WorthyDelta(source, target);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        delta.Should().NotBeNull("a near-copy is worth a delta");
        FossilDelta.Apply(source, delta!).Should().Equal(target);
        allocated.Should().BeLessThan(target.Length / 4, "the delta is small and the reproduction it is checked by is rented");
    }

    [Fact]
    public void A_pair_not_worth_a_delta_gives_none()
    {
        byte[] source = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 2_000).Select(i => $"line {i}\n")));
        byte[] target = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 2_000).Select(i => $"other {i * 7919 % 10007}\n")));
        ExtraDeltification.WorthyDelta(source, target).Should().BeNull();
    }
}
