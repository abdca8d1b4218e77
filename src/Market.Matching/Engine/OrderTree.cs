using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Market.Matching.Engine;

/// <summary>Decides whether a node may match; a struct so the JIT specialises the search per filter (no delegate, no boxing).</summary>
internal interface INodeFilter
{
    bool Admits(int node);
}

internal struct AdmitAll : INodeFilter
{
    public readonly bool Admits(int node) => true;
}

/// <summary>
/// A forest of treaps over preallocated node arrays — the price-level trees of <see cref="BidLevels"/>
/// (one per constraint bucket) and <see cref="OfferLevels"/> (one per market), node index = level
/// index; the per-region offer trees and the offer tree of a market that outgrew its price levels,
/// node index = offer slot index. Nodes are ordered by (K1, K2, K3) ascending
/// (the priority order of the side), link to their parents, and each subtree keeps the max of its
/// nodes' <c>Val</c>. That augmentation answers the one question matching asks, "the first order in priority order with Val ≥ t (and K1 ≤ limit)", in
/// O(log n) instead of a scan: offers store their free mNCU (t = bid size), bids store −size
/// (t = −free mNCU of the offer), so an offer with too little room or a bid too big for the offer
/// is pruned a whole subtree at a time. Heap priorities come from a fixed-seed xorshift, so the
/// shape — and everything else — is the same on every replay.
/// </summary>
internal sealed partial class OrderTree
{
    public const int Nil = -1;

    // 64 bytes: one node, one cache line.
    [StructLayout(LayoutKind.Sequential, Size = 64)]
    private struct Node
    {
        public int Left, Right, Parent;
        public uint Prio;
        public long K1, K2, K3, Val, Agg;
    }

    private readonly Node[] _n;
    private uint _rng = 0x9E3779B9;

    public OrderTree(int capacity) => _n = new Node[capacity];

    // Node indices come only from the engine's slot pools (0 ≤ i < capacity) and the tree's own
    // links, never from input, so the bounds check an array access would pay on every step is skipped.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref Node N(int i) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_n), i);

    /// <summary>Whether node a comes before node b in key order.</summary>
    public bool Before(int a, int b) => Less(a, b);

    public void Insert(ref int root, int n, long k1, long k2, long k3, long val)
    {
        ref var x = ref N(n);
        x.Left = x.Right = x.Parent = Nil;
        x.K1 = k1; x.K2 = k2; x.K3 = k3; x.Val = x.Agg = val;
        _rng ^= _rng << 13; _rng ^= _rng >> 17; _rng ^= _rng << 5;
        x.Prio = _rng;
        InsertAt(ref root, n);
    }

    public void Remove(ref int root, int n) => RemoveAt(ref root, n);

    /// <summary>Changes a node's value in place and repairs the aggregates on its path.</summary>
    public void SetValue(int root, int n, long val) => SetAt(n, val);

    /// <summary>
    /// The first node in key order with Val ≥ <paramref name="threshold"/>, K1 ≤ <paramref name="k1Limit"/>
    /// and admitted by the filter, or <see cref="Nil"/>. Iterative in-order walk over the parent
    /// links that never enters a subtree whose aggregate is below the threshold.
    /// </summary>
    public int FindFirst<TFilter>(int root, long threshold, long k1Limit, ref TFilter filter) where TFilter : struct, INodeFilter
    {
        if (root == Nil || N(root).Agg < threshold) return Nil;
        int t = root;
        while (true)
        {
            // Down to the leftmost node of t's subtree that may hold a match.
            while (true)
            {
                int l = N(t).Left;
                if (l != Nil && N(l).Agg >= threshold) t = l;
                else break;
            }
            while (true)
            {
                ref var x = ref N(t);
                // Keys only grow from here on: past the price limit nothing further can match.
                if (x.K1 > k1Limit) return Nil;
                if (x.Val >= threshold && filter.Admits(t)) return t;
                int r = x.Right;
                if (r != Nil && N(r).Agg >= threshold) { t = r; break; }
                // Climb until arriving from a left child: that parent is the next node in order.
                while (true)
                {
                    if (t == root) return Nil;
                    int p = N(t).Parent;
                    bool fromLeft = N(p).Left == t;
                    t = p;
                    if (fromLeft) break;
                }
            }
        }
    }

    /// <summary>Appends the nodes of a tree in key order (used by the batch auction).</summary>
    public int InOrder(int root, int[] into, int count)
    {
        int t = root;
        while (t != Nil)
        {
            count = InOrder(N(t).Left, into, count);
            into[count++] = t;
            t = N(t).Right;
        }
        return count;
    }
}
