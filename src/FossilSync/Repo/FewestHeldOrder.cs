namespace FossilSync.Repo;

/// <summary>
/// An order for a depth-first walk down a <see cref="DeltaTree"/> that keeps few expansions
/// alive at once. A walk holds an artifact's content until its last delta child is expanded
/// from it; going down the child with the deepest holding need last releases the parent before
/// that subtree, so a main line with short side branches holds two or three contents instead of
/// one per branch point (the generated history's four-megabyte file held thirty). Only where
/// the order has no effect beyond memory: all of verification; in a rebuild, below plain
/// content (file versions), since stock's order decides tie-breaks only among control artifacts.
/// </summary>
/// <remarks>
/// The need of an artifact is how many contents its subtree's walk holds at most, itself
/// included: one for a leaf; otherwise the larger of its neediest child's need (walked last,
/// the parent released) and one more than the need of any other child (walked while the parent
/// is held). Putting the neediest child last is optimal for that count.
/// </remarks>
internal sealed class FewestHeldOrder
{
    // Needs of artifacts that have delta children (a leaf's is one).
    private readonly Dictionary<long, int> _needs = [];
    private readonly DeltaTree _tree;

    private FewestHeldOrder(DeltaTree tree) => _tree = tree;

    /// <summary>Works out the needs of every artifact reachable from <paramref name="roots"/> (a loop in the table is left out).</summary>
    public static FewestHeldOrder For(DeltaTree tree, IEnumerable<long> roots)
    {
        var order = new FewestHeldOrder(tree);
        var visited = new HashSet<long>();
        var stack = new Stack<(long Rid, bool ChildrenDone)>();
        foreach (long root in roots)
        {
            stack.Push((root, false));
            while (stack.TryPop(out var item))
            {
                var children = tree.ChildrenOf(item.Rid);
                if (children.IsEmpty) continue;
                if (item.ChildrenDone)
                {
                    order._needs[item.Rid] = order.NeedFromChildren(children);
                    continue;
                }
                if (!visited.Add(item.Rid)) continue;
                stack.Push((item.Rid, true));
                foreach (long child in children)
                {
                    if (!visited.Contains(child)) stack.Push((child, false));
                }
            }
        }
        return order;
    }

    /// <summary>
    /// The children of <paramref name="rid"/> in the order to expand them: rid order, except
    /// that the neediest comes last.
    /// </summary>
    public long[] ChildrenOf(long rid)
    {
        long[] children = _tree.ChildrenOf(rid).ToArray();
        if (children.Length < 2) return children;
        int neediest = 0;
        for (int i = 1; i < children.Length; i++)
        {
            if (Need(children[i]) > Need(children[neediest])) neediest = i;
        }
        long last = children[neediest];
        Array.Copy(children, neediest + 1, children, neediest, children.Length - neediest - 1);
        children[^1] = last;
        return children;
    }

    /// <summary>
    /// <paramref name="children"/> in their order, except that the neediest moves to the end
    /// (for a walk that keeps another order wherever the order can matter).
    /// </summary>
    public List<long> NeediestLast(List<long> children)
    {
        if (children.Count < 2) return children;
        int neediest = children.Count - 1;
        for (int i = children.Count - 2; i >= 0; i--)
        {
            if (Need(children[i]) > Need(children[neediest])) neediest = i;
        }
        if (neediest == children.Count - 1) return children;
        var reordered = new List<long>(children);
        reordered.RemoveAt(neediest);
        reordered.Add(children[neediest]);
        return reordered;
    }

    /// <summary>How many contents the walk of <paramref name="rid"/>'s subtree holds at most, itself included.</summary>
    public int Need(long rid) => _needs.GetValueOrDefault(rid, 1);

    private int NeedFromChildren(ReadOnlySpan<long> children)
    {
        int most = 0, second = 0;
        foreach (long child in children)
        {
            int need = Need(child);
            if (need > most) (most, second) = (need, most);
            else if (need > second) second = need;
        }
        // The parent is held while each child but the neediest is walked.
        return Math.Max(most, second + 1);
    }
}
