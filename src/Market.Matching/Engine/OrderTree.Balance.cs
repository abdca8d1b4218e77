using System.Runtime.CompilerServices;

namespace Market.Matching.Engine;

// Treap maintenance with parent links: insert as a leaf and rotate up, remove by rotating down
// until one child is left and splicing it in. Aggregates are repaired bottom-up and the walk stops as soon as a node's aggregate is
// unchanged — the common "an offer lost some free capacity" update rarely climbs far.
internal sealed partial class OrderTree
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Less(int a, int b)
    {
        ref var x = ref N(a);
        ref var y = ref N(b);
        if (x.K1 != y.K1) return x.K1 < y.K1;
        if (x.K2 != y.K2) return x.K2 < y.K2;
        return x.K3 < y.K3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Pull(int t)
    {
        ref var x = ref N(t);
        long a = x.Val;
        if (x.Left != Nil && N(x.Left).Agg > a) a = N(x.Left).Agg;
        if (x.Right != Nil && N(x.Right).Agg > a) a = N(x.Right).Agg;
        x.Agg = a;
    }

    private void InsertAt(ref int root, int n)
    {
        ref var x = ref N(n);
        x.Parent = Nil;
        if (root == Nil) { root = n; return; }
        int t = root;
        long val = x.Val;
        while (true)
        {
            ref var y = ref N(t);
            if (y.Agg < val) y.Agg = val; // n will be below t
            if (Less(n, t))
            {
                if (y.Left == Nil) { y.Left = n; break; }
                t = y.Left;
            }
            else
            {
                if (y.Right == Nil) { y.Right = n; break; }
                t = y.Right;
            }
        }
        x.Parent = t;
        while (x.Parent != Nil && x.Prio > N(x.Parent).Prio) RotateUp(n);
        if (x.Parent == Nil) root = n;
    }

    /// <summary>Rotates x above its parent, keeping key order and both aggregates right.</summary>
    private void RotateUp(int xi)
    {
        ref var x = ref N(xi);
        int pi = x.Parent;
        ref var p = ref N(pi);
        int gi = p.Parent;
        if (p.Left == xi)
        {
            p.Left = x.Right;
            if (x.Right != Nil) N(x.Right).Parent = pi;
            x.Right = pi;
        }
        else
        {
            p.Right = x.Left;
            if (x.Left != Nil) N(x.Left).Parent = pi;
            x.Left = pi;
        }
        p.Parent = xi;
        x.Parent = gi;
        if (gi != Nil)
        {
            ref var g = ref N(gi);
            if (g.Left == pi) g.Left = xi; else g.Right = xi;
        }
        Pull(pi);
        Pull(xi);
    }

    private void RemoveAt(ref int root, int n)
    {
        ref var x = ref N(n);
        // Rotate down only while n has two children; then splice in the one child it has left.
        // The child's priority is below n's and so below n's parent's: the heap order holds.
        while (x.Left != Nil && x.Right != Nil)
        {
            int c = N(x.Left).Prio > N(x.Right).Prio ? x.Left : x.Right;
            RotateUp(c);
            if (N(c).Parent == Nil) root = c;
        }
        int child = x.Left != Nil ? x.Left : x.Right;
        int p = x.Parent;
        if (child != Nil) N(child).Parent = p;
        x.Parent = x.Left = x.Right = Nil;
        if (p == Nil) { root = child; return; }
        if (N(p).Left == n) N(p).Left = child; else N(p).Right = child;
        Repair(p);
    }

    private void SetAt(int n, long val)
    {
        N(n).Val = val;
        Repair(n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Repair(int t)
    {
        while (t != Nil)
        {
            long old = N(t).Agg;
            Pull(t);
            if (N(t).Agg == old) return;
            t = N(t).Parent;
        }
    }
}
