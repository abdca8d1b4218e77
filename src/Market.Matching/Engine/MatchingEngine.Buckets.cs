using System.Runtime.CompilerServices;
using Market.Matching.Constraints;

namespace Market.Matching.Engine;

// Resting bids are kept in buckets of identical constraints, one price-level book (BidLevels) per bucket. When an offer
// arrives, a bucket's constraints are tested once against it: a whole bucket of bids that cannot
// use the offer is skipped without visiting a node, instead of each bid being filtered in a scan.
// Real bids share few constraint sets (a region list, a GPU tier, an uptime floor), so the
// buckets are few. Buckets 0..11 are the per-market "mixed" buckets, used by batch markets and
// once all MaxConstraintBuckets are taken; there every node is filtered on its own.
public sealed partial class MatchingEngine
{
    private Dictionary<(int Market, BidConstraints C), int> _bucketOf = null!;
    private int[] _bucketRoot = null!, _bucketSize = null!, _bucketPos = null!, _bucketMarket = null!;
    private BidConstraints[] _bucketConstraints = null!;
    private int[][] _active = null!;
    private readonly int[] _activeCount = new int[EngineConfig.MarketCount];
    private int _buckets;
    private readonly int[] _anyBucket = new int[EngineConfig.MarketCount];
    private int[] _candidate = null!;
    private bool[] _admits = null!;
    private uint[] _candidateGen = null!;

    private void InitBuckets(EngineConfig config)
    {
        int n = EngineConfig.MarketCount + config.MaxConstraintBuckets;
        _bucketOf = new Dictionary<(int, BidConstraints), int>(config.MaxConstraintBuckets);
        _bucketRoot = new int[n];
        Array.Fill(_bucketRoot, OrderTree.Nil);
        _bucketSize = new int[n];
        _bucketPos = new int[n];
        _bucketMarket = new int[n];
        _bucketConstraints = new BidConstraints[n];
        _active = new int[EngineConfig.MarketCount][];
        for (int m = 0; m < EngineConfig.MarketCount; m++)
        {
            _active[m] = new int[n];
            _bucketMarket[m] = m;
        }
        _buckets = EngineConfig.MarketCount;
        _candidate = new int[n];
        _admits = new bool[n];
        _candidateGen = new uint[n];
        Array.Fill(_anyBucket, -1);
    }

    /// <summary>The bucket a new bid joins; creates one (no allocation: the map is presized) while any are left.</summary>
    private int BucketFor(int market, in BidConstraints c)
    {
        if (_config[market].Mode == MarketMode.Batch) return market;
        bool any = c.IsAny;
        if (any && _anyBucket[market] >= 0) return _anyBucket[market]; // the common case skips hashing
        if (_bucketOf.TryGetValue((market, c), out int b)) return b;
        if (_buckets == _bucketRoot.Length) return market;
        b = _buckets++;
        _bucketOf.Add((market, c), b);
        _bucketMarket[b] = market;
        _bucketConstraints[b] = c;
        if (any) _anyBucket[market] = b;
        return b;
    }

    private void JoinBucket(int bucket)
    {
        if (_bucketSize[bucket]++ > 0) return;
        int m = _bucketMarket[bucket];
        _bucketPos[bucket] = _activeCount[m];
        _active[m][_activeCount[m]++] = bucket;
    }

    private void LeaveBucket(int bucket)
    {
        if (--_bucketSize[bucket] > 0) return;
        int m = _bucketMarket[bucket];
        int last = _active[m][--_activeCount[m]];
        _active[m][_bucketPos[bucket]] = last;
        _bucketPos[last] = _bucketPos[bucket];
    }

    /// <summary>Only the lease duration is left to test per bid when the bucket's constraints admitted the offer.</summary>
    private readonly struct DurationFilter(BidSlot[] bids, uint offerMaxDurationSec) : INodeFilter
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Admits(int node) => bids[node].MaxDurationSec <= offerMaxDurationSec;
    }

    /// <summary>
    /// Starts a round of serving offer o: tests each active bucket's constraints once and finds its
    /// best candidate. <see cref="NextRestingBid"/> then keeps the candidates between matches.
    /// </summary>
    private void BeginServing(int o, ulong free)
    {
        int market = _offers[o].Market;
        int[] active = _active[market];
        for (int i = 0; i < _activeCount[market]; i++)
        {
            int bucket = active[i];
            _admits[bucket] = bucket < EngineConfig.MarketCount || _bucketConstraints[bucket].Admits(_offers[o].Attributes);
            _candidate[bucket] = _admits[bucket] ? Candidate(o, bucket, free) : OrderTree.Nil;
        }
    }

    /// <summary>
    /// The first resting bid, in bid priority over all buckets, that offer o can serve with
    /// <paramref name="free"/> mNCU; −1 if none. A bucket's cached candidate stays right while it
    /// still fits (free only shrinks during a round, so an earlier bid cannot start to fit) and
    /// is recomputed when it no longer fits or has left the book.
    /// </summary>
    private int NextRestingBid(int o, ulong free)
    {
        int market = _offers[o].Market;
        int best = OrderTree.Nil;
        int[] active = _active[market];
        for (int i = 0; i < _activeCount[market]; i++)
        {
            int bucket = active[i];
            if (!_admits[bucket]) continue;
            int cand = _candidate[bucket];
            if (cand != OrderTree.Nil && (_bids[cand].Bucket != bucket || _bids[cand].Gen != _candidateGen[bucket] || _bids[cand].MilliNcu > free))
                cand = _candidate[bucket] = Candidate(o, bucket, free);
            if (cand != OrderTree.Nil && (best == OrderTree.Nil || _bidBook.Before(cand, best))) best = cand;
        }
        return best;
    }

    private int Candidate(int o, int bucket, ulong free)
    {
        ref var offer = ref _offers[o];
        int root = _bucketRoot[bucket];
        int cand;
        // Levels of bids with max price ≥ the offer's, first bid that fits the free mNCU.
        if (bucket < EngineConfig.MarketCount)
        {
            var mixed = new BidFilter(_bids, offer.MaxDurationSec, offer.Attributes);
            cand = _bidBook.FindFirst(root, free, offer.Price, ref mixed);
        }
        else
        {
            var exact = new DurationFilter(_bids, offer.MaxDurationSec);
            cand = _bidBook.FindFirst(root, free, offer.Price, ref exact);
        }
        if (cand != OrderTree.Nil) _candidateGen[bucket] = _bids[cand].Gen;
        return cand;
    }
}
