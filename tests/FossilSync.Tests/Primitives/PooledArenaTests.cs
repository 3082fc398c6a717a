using FossilSync.Primitives;

namespace FossilSync.Tests.Primitives;

public sealed class PooledArenaTests
{
    [Fact]
    public void Every_copy_keeps_its_own_bytes_across_chunks_and_large_copies()
    {
        var random = new Random(7);
        var originals = new List<byte[]>();
        var copies = new List<ReadOnlyMemory<byte>>();
        using var arena = new PooledArena();
        // Small ones filling several chunks, a few larger than a chunk's quarter, and empty ones.
        foreach (int length in Enumerable.Range(0, 400).Select(i => i % 50 == 0 ? 300_000 + i : i % 7 == 0 ? 0 : random.Next(1, 20_000)))
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            originals.Add(data);
            copies.Add(arena.Copy(data));
        }
        for (int i = 0; i < originals.Count; i++) copies[i].ToArray().Should().Equal(originals[i], $"copy {i} must not share bytes with any other");
    }

    [Fact]
    public void A_copy_is_independent_of_its_source()
    {
        byte[] data = [1, 2, 3];
        using var arena = new PooledArena();
        var copy = arena.Copy(data);
        data[0] = 9;
        copy.ToArray().Should().Equal(1, 2, 3);
    }

    [Fact]
    public void Arenas_alive_at_once_never_share_memory_though_their_chunks_come_back_to_be_reused()
    {
        var random = new Random(11);
        byte[] Filled(int length)
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            return data;
        }
        var first = new PooledArena();
        for (int i = 0; i < 40; i++) first.Copy(Filled(100_000));
        first.Dispose();
        first.Dispose();   // a second disposal gives nothing back twice

        using var left = new PooledArena();
        using var right = new PooledArena();
        var kept = new List<(byte[] Original, ReadOnlyMemory<byte> Copy)>();
        for (int i = 0; i < 40; i++)
        {
            byte[] a = Filled(100_000), b = Filled(100_000);
            kept.Add((a, left.Copy(a)));
            kept.Add((b, right.Copy(b)));
        }
        foreach (var (original, copy) in kept) copy.ToArray().Should().Equal(original);
    }

    [Fact]
    public void Nothing_is_copied_after_disposal()
    {
        var arena = new PooledArena();
        arena.Copy([1]);
        arena.Dispose();
        arena.Invoking(a => a.Copy([2])).Should().Throw<ObjectDisposedException>();
    }
}
