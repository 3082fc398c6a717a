namespace FossilSync.Repo.Crosslink;

/// <summary>
/// The iteration order of fossil's <c>Bag</c> (an open-addressing hash set of rids): where a
/// rebuild visits the delta children of an artifact, it visits them in this order, and the
/// order decides a few tie-breaks (which child a parent's timestamp is fudged against).
/// </summary>
internal static class InsertionBag
{
    /// <summary>The order fossil's bag_first/bag_next yield <paramref name="rids"/> inserted in the given order.</summary>
    public static List<long> Order(IReadOnlyList<long> rids)
    {
        long[] slots = [];
        int used = 0;
        foreach (long rid in rids)
        {
            if (used + 1 >= slots.Length / 2) slots = Resize(slots, slots.Length * 2 + 20);
            long h = Hash(rid, slots.Length);
            while (slots[h] != 0 && slots[h] != rid) h = (h + 1) % slots.Length;
            if (slots[h] == 0)
            {
                slots[h] = rid;
                used++;
            }
        }
        return slots.Where(s => s > 0).ToList();
    }

    private static long Hash(long rid, int size) => (uint)(int)(rid * 101 % size);

    private static long[] Resize(long[] old, int size)
    {
        var slots = new long[size];
        foreach (long rid in old)
        {
            if (rid <= 0) continue;
            long h = Hash(rid, size);
            while (slots[h] != 0) h = (h + 1) % size;
            slots[h] = rid;
        }
        return slots;
    }
}
