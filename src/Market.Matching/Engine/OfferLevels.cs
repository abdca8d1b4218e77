using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Market.Matching.Engine;

/// <summary>
/// Live offers of each market as price levels: a small treap of levels keyed by price
/// (<see cref="OrderTree"/>, value = the most free mNCU of any offer in the level, so levels and
/// subtrees of levels with no room are skipped) and per level a doubly linked list of offers in
/// (time, higher provider score, sequence) order over the offer slots. A new offer finds its level
/// through a hash lookup and walks back from the tail to its place (usually none: later time);
/// removal is an O(1) unlink. Priority order is exactly the old offer treap's: lowest price, then
/// earlier time, then higher provider score, then earlier sequence.
/// Finding the first offer with room scans one level's list, and a level's value is rescanned when
/// its roomiest offer shrinks, so both cost O(level size): the engine keeps a market here only while
/// every level is small and moves it for good to a plain offer treap (O(log n) whatever the prices)
/// once a level grows past a bound — many offers posted at one price would otherwise make every
/// incoming bid walk them.
/// </summary>
internal sealed class OfferLevels
{
    public const int Nil = OrderTree.Nil;
    private const int MarketBits = 4; // EngineConfig.MarketCount = 12 markets

    private struct Link
    {
        public int Next, Prev, Level;
        public long K3; // (ProviderScore.Max − score) << 43 | seq
    }

    private struct Level
    {
        public int Head, Tail, Count;
        public long Key;
        public ulong MaxFree;
    }

    private readonly OfferSlot[] _offers;
    private readonly Link[] _link;
    private readonly Level[] _level;
    private readonly OrderTree _tree;
    private readonly IdIndex _levelOf;
    private readonly SlotPool _pool;

    public OfferLevels(OfferSlot[] offers, int capacity)
    {
        _offers = offers;
        _link = new Link[capacity];
        _level = new Level[capacity];
        _tree = new OrderTree(capacity);
        _levelOf = new IdIndex(capacity);
        _pool = new SlotPool(capacity);
    }

    /// <summary>Levels in use (for tests).</summary>
    public int Levels => _pool.Live;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref Link L(int i) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_link), i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref Level V(int i) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_level), i);

    // Prices are ≤ 10^12 < 2^40: (price, market) packs losslessly, market in the low bits.
    private static long KeyOf(int market, long price) => (price << MarketBits) | (long)market;

    /// <summary>Whether offer a comes before offer b in offer priority.</summary>
    public bool Before(int a, int b)
    {
        ref var x = ref _offers[a];
        ref var y = ref _offers[b];
        if (x.Price != y.Price) return x.Price < y.Price;
        return QueueBefore(a, b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool QueueBefore(int a, int b)
    {
        long ta = _offers[a].Time, tb = _offers[b].Time;
        if (ta != tb) return ta < tb;
        return L(a).K3 < L(b).K3;
    }

    /// <summary>
    /// Indexes offer slot s (Price, Time, Free, Market set) with tie-break key k3 in the book rooted
    /// at root; returns how many offers its level now holds.
    /// </summary>
    public int Insert(ref int root, int s, long k3)
    {
        ref var o = ref _offers[s];
        long key = KeyOf(o.Market, o.Price);
        ref var l = ref L(s);
        l.Next = l.Prev = Nil;
        l.K3 = k3;
        if (!_levelOf.TryGetValue(key, out int v))
        {
            _pool.TryTake(out v); // at most one level per live offer: never empty
            ref var nv = ref V(v);
            nv.Head = nv.Tail = s;
            nv.Count = 1;
            nv.Key = key;
            nv.MaxFree = o.Free;
            l.Level = v;
            _levelOf.Add(key, v);
            _tree.Insert(ref root, v, o.Price, 0, 0, (long)o.Free);
            return 1;
        }
        ref var lv = ref V(v);
        l.Level = v;
        lv.Count++;
        int t = lv.Tail;
        while (t != Nil && QueueBefore(s, t)) t = L(t).Prev;
        if (t == Nil)
        {
            l.Next = lv.Head;
            L(lv.Head).Prev = s;
            lv.Head = s;
        }
        else
        {
            int n = L(t).Next;
            l.Prev = t;
            l.Next = n;
            L(t).Next = s;
            if (n == Nil) lv.Tail = s; else L(n).Prev = s;
        }
        if (o.Free > lv.MaxFree)
        {
            lv.MaxFree = o.Free;
            _tree.SetValue(root, v, (long)o.Free);
        }
        return lv.Count;
    }

    /// <summary>Unindexes offer slot s from the book rooted at root.</summary>
    public void Remove(ref int root, int s)
    {
        ref var l = ref L(s);
        int v = l.Level;
        ref var lv = ref V(v);
        if (--lv.Count == 0)
        {
            _tree.Remove(ref root, v);
            _levelOf.Remove(lv.Key);
            _pool.Return(v);
            return;
        }
        int n = l.Next, p = l.Prev;
        if (p == Nil) lv.Head = n; else L(p).Next = n;
        if (n == Nil) lv.Tail = p; else L(n).Prev = p;
        if (_offers[s].Free == lv.MaxFree) Rescan(root, v);
    }

    /// <summary>Offer s's Free changed from <paramref name="oldFree"/> (the slot already holds the new value).</summary>
    public void FreeChanged(int root, int s, ulong oldFree)
    {
        int v = L(s).Level;
        ref var lv = ref V(v);
        ulong free = _offers[s].Free;
        if (free > lv.MaxFree)
        {
            lv.MaxFree = free;
            _tree.SetValue(root, v, (long)free);
        }
        else if (free < oldFree && oldFree == lv.MaxFree) Rescan(root, v);
    }

    private void Rescan(int root, int v)
    {
        ref var lv = ref V(v);
        ulong max = 0;
        for (int i = lv.Head; i != Nil; i = L(i).Next)
            if (_offers[i].Free > max) max = _offers[i].Free;
        if (max != lv.MaxFree)
        {
            lv.MaxFree = max;
            _tree.SetValue(root, v, (long)max);
        }
    }

    private struct LevelScan<TFilter>(OfferLevels book, ulong m, TFilter filter) : INodeFilter where TFilter : struct, INodeFilter
    {
        public int Found = Nil;
        private TFilter _filter = filter;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Admits(int level)
        {
            var offers = book._offers;
            for (int i = book.V(level).Head; i != Nil; i = book.L(i).Next)
            {
                if (offers[i].Free >= m && _filter.Admits(i))
                {
                    Found = i;
                    return true;
                }
            }
            return false;
        }
    }

    /// <summary>The first offer in offer priority with ≥ m free, price ≤ maxPrice and admitted by the filter, or <see cref="Nil"/>.</summary>
    public int FindFirst<TFilter>(int root, ulong m, long maxPrice, ref TFilter filter) where TFilter : struct, INodeFilter
    {
        var scan = new LevelScan<TFilter>(this, m, filter);
        int level = _tree.FindFirst(root, (long)m, maxPrice, ref scan);
        return level == Nil ? Nil : scan.Found;
    }

    /// <summary>Appends the book's offers in offer priority; <paramref name="levelScratch"/> holds the levels.</summary>
    public int InOrder(int root, int[] into, int[] levelScratch, int count)
    {
        int nLevels = _tree.InOrder(root, levelScratch, 0);
        for (int k = 0; k < nLevels; k++)
            for (int i = V(levelScratch[k]).Head; i != Nil; i = L(i).Next) into[count++] = i;
        return count;
    }
}
