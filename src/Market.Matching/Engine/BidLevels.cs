using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Market.Matching.Engine;

/// <summary>
/// Resting bids as price levels: per book (one per constraint bucket) a small treap of levels keyed
/// by −price (<see cref="OrderTree"/>, so levels keep the "max of a value per subtree" pruning), and
/// per level a doubly linked queue of bids in (time, sequence) order over the bid slots. A book of
/// ~2k bids spans a few hundred prices, so a resting bid finds its level through a hash lookup and
/// is appended (a returned bid with an older time walks back from the tail to its place) instead of
/// descending a treap of every bid; removal is an O(1) unlink. Each level's tree value is −(its
/// smallest bid), so "the first bid in priority order with size ≤ free" still skips whole levels —
/// and subtrees of levels — where nothing fits. Priority order is exactly the old bid treap's:
/// highest price, then earlier time, then earlier sequence. Level indices come from their own
/// preallocated pool (at most one level per resting bid); nothing allocates after construction.
/// </summary>
internal sealed class BidLevels
{
    public const int Nil = OrderTree.Nil;

    private struct Link
    {
        public int Next, Prev, Level;
    }

    private struct Level
    {
        public int Head, Tail, Count;
        public long Key; // hash key: price and bucket
        public long Price;
        public ulong MinSize;
    }

    private readonly BidSlot[] _bids;
    private readonly Link[] _link;
    private readonly Level[] _level;
    private readonly OrderTree _tree;
    private readonly IdIndex _levelOf;
    private readonly SlotPool _pool;

    // Bucket ids take the low bits of a level's hash key, price (< 2^40) the bits above them.
    private readonly int _bucketBits;

    public BidLevels(BidSlot[] bids, int capacity, int buckets)
    {
        _bucketBits = Math.Max(1, BitOperations.Log2((uint)Math.Max(1, buckets - 1)) + 1);
        if (_bucketBits > 23)
            throw new ArgumentOutOfRangeException(nameof(buckets), "at most 2^23 bid buckets (price level keys pack the bucket beside a 40-bit price)");
        _bids = bids;
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

    // Prices are ≤ 10^12 < 2^40, so (price, bucket) packs losslessly. The bucket goes in the low
    // bits: IdIndex keeps low bits, so one bucket's neighbouring prices and the same price in
    // different buckets land on different home slots (bucket bits above the price would cluster).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long KeyOf(int bucket, long price) => (price << _bucketBits) | (long)bucket;

    /// <summary>Whether bid a comes before bid b in bid priority (highest price, earlier time, earlier sequence).</summary>
    public bool Before(int a, int b)
    {
        ref var x = ref _bids[a];
        ref var y = ref _bids[b];
        if (x.MaxPrice != y.MaxPrice) return x.MaxPrice > y.MaxPrice;
        if (x.Time != y.Time) return x.Time < y.Time;
        return x.Seq < y.Seq;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool QueueBefore(int a, int b)
    {
        ref var x = ref _bids[a];
        ref var y = ref _bids[b];
        if (x.Time != y.Time) return x.Time < y.Time;
        return x.Seq < y.Seq;
    }

    /// <summary>Rests bid slot s (its MaxPrice, Time, Seq, MilliNcu already set) in the book rooted at root.</summary>
    public void Insert(ref int root, int bucket, int s)
    {
        ref var b = ref _bids[s];
        long key = KeyOf(bucket, b.MaxPrice);
        ref var l = ref L(s);
        l.Next = l.Prev = Nil;
        if (!_levelOf.TryGetValue(key, out int v))
        {
            _pool.TryTake(out v); // at most one level per live bid: never empty
            ref var nv = ref V(v);
            nv.Head = nv.Tail = s;
            nv.Count = 1;
            nv.Key = key;
            nv.Price = b.MaxPrice;
            nv.MinSize = b.MilliNcu;
            l.Level = v;
            _levelOf.Add(key, v);
            _tree.Insert(ref root, v, -b.MaxPrice, 0, 0, -(long)b.MilliNcu);
            return;
        }
        ref var lv = ref V(v);
        l.Level = v;
        lv.Count++;
        // Append; only an order with an older time (a returned bid, a late stamp) walks back to its place.
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
        if (b.MilliNcu < lv.MinSize)
        {
            lv.MinSize = b.MilliNcu;
            _tree.SetValue(root, v, -(long)b.MilliNcu);
        }
    }

    /// <summary>Unlinks bid slot s from the book rooted at root.</summary>
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
        if (_bids[s].MilliNcu == lv.MinSize)
        {
            ulong min = ulong.MaxValue;
            for (int i = lv.Head; i != Nil; i = L(i).Next)
                if (_bids[i].MilliNcu < min) min = _bids[i].MilliNcu;
            if (min != lv.MinSize)
            {
                lv.MinSize = min;
                _tree.SetValue(root, v, -(long)min);
            }
        }
    }

    /// <summary>Scans a level's queue for the first bid that fits and that the filter admits.</summary>
    private struct LevelScan<TFilter>(BidLevels book, ulong free, TFilter filter) : INodeFilter where TFilter : struct, INodeFilter
    {
        public int Found = Nil;
        private TFilter _filter = filter;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Admits(int level)
        {
            var bids = book._bids;
            for (int i = book.V(level).Head; i != Nil; i = book.L(i).Next)
            {
                if (bids[i].MilliNcu <= free && _filter.Admits(i))
                {
                    Found = i;
                    return true;
                }
            }
            return false;
        }
    }

    /// <summary>
    /// The first bid in bid priority with size ≤ <paramref name="free"/>, max price ≥
    /// <paramref name="minPrice"/> and admitted by the filter, or <see cref="Nil"/>.
    /// </summary>
    public int FindFirst<TFilter>(int root, ulong free, long minPrice, ref TFilter filter) where TFilter : struct, INodeFilter
    {
        var scan = new LevelScan<TFilter>(this, free, filter);
        int level = _tree.FindFirst(root, -(long)free, -minPrice, ref scan);
        return level == Nil ? Nil : scan.Found;
    }

    /// <summary>Appends the book's bids in bid priority (used by the batch auction); <paramref name="levelScratch"/> holds the levels.</summary>
    public int InOrder(int root, int[] into, int[] levelScratch, int count)
    {
        int nLevels = _tree.InOrder(root, levelScratch, 0);
        for (int k = 0; k < nLevels; k++)
            for (int i = V(levelScratch[k]).Head; i != Nil; i = L(i).Next) into[count++] = i;
        return count;
    }

}
