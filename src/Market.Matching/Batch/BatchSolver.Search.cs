using Market.Matching.Engine;

namespace Market.Matching.Batch;

// The two allocation methods: exact branch and bound for small instances, threshold greedy for large.
public sealed partial class BatchSolver
{
    private Int128 _bestSurplus;
    private readonly Int128[] _optimistic = new Int128[65];

    /// <summary>Adapts a pair filter to the tree's node filter for one bid.</summary>
    private struct ForBid<TFilter>(TFilter filter, int bid) : INodeFilter where TFilter : struct, IPairFilter
    {
        private TFilter _filter = filter;
        public bool Admits(int node) => _filter.Admits(bid, node);
    }

    private void SolveGreedy<TFilter>(ref TFilter filter) where TFilter : struct, IPairFilter
    {
        _bestSurplus = -1;
        for (int b = 0; b < _bids; b++) _best[b] = -1;
        _offerFree.AsSpan(0, _offers).CopyTo(_bestFree);
        int n = Thresholds();
        for (int i = 0; i < n; i++)
        {
            var s = GreedyPass(_thresholds[i], ref filter);
            if (s <= _bestSurplus) continue;
            _bestSurplus = s;
            _assign.AsSpan(0, _bids).CopyTo(_best);
            _free.AsSpan(0, _offers).CopyTo(_bestFree);
        }
        if (_bestSurplus < 0) _bestSurplus = 0;
    }

    /// <summary>Candidate thresholds: every distinct offer price when there are few, else 16 spread over the sorted offers.</summary>
    private int Thresholds()
    {
        int n = 0;
        long last = long.MinValue;
        int picks = Math.Min(_offers, MaxThresholds);
        for (int i = 0; i < picks; i++)
        {
            int o = picks == 1 ? _offers - 1 : (int)((long)i * (_offers - 1) / (picks - 1));
            if (_offerPrice[o] == last) continue;
            _thresholds[n++] = last = _offerPrice[o];
        }
        return n;
    }

    /// <summary>Bids priced ≥ c, in priority order, each take the cheapest admissible offer priced ≤ c with room.</summary>
    private Int128 GreedyPass<TFilter>(long c, ref TFilter filter) where TFilter : struct, IPairFilter
    {
        int root = OrderTree.Nil;
        for (int o = 0; o < _offers && _offerPrice[o] <= c; o++)
        {
            _free[o] = _offerFree[o];
            _tree.Insert(ref root, o, _offerPrice[o], o, 0, (long)_offerFree[o]);
        }
        for (int o = 0; o < _offers; o++) if (_offerPrice[o] > c) _free[o] = _offerFree[o];
        Int128 total = 0;
        for (int b = 0; b < _bids; b++)
        {
            _assign[b] = -1;
            if (_bidPrice[b] < c) continue;
            var f = new ForBid<TFilter>(filter, b);
            int o = _tree.FindFirst(root, (long)_bidSize[b], c, ref f);
            if (o < 0) continue;
            _assign[b] = o;
            _free[o] -= _bidSize[b];
            _tree.SetValue(root, o, (long)_free[o]);
            total += PairSurplus(b, o);
        }
        return total;
    }

    private void SolveExact<TFilter>(ref TFilter filter) where TFilter : struct, IPairFilter
    {
        SolveGreedy(ref filter); // a good incumbent makes the bound prune early
        _offerFree.AsSpan(0, _offers).CopyTo(_free);
        // Optimistic completion: each remaining bid with its best admissible pair, capacity ignored.
        _optimistic[_bids] = 0;
        for (int b = _bids - 1; b >= 0; b--)
        {
            Int128 best = 0;
            for (int o = 0; o < _offers; o++)
                if (_offerPrice[o] <= _bidPrice[b] && _offerFree[o] >= _bidSize[b] && filter.Admits(b, o))
                {
                    var s = PairSurplus(b, o);
                    if (s > best) best = s;
                }
            _optimistic[b] = _optimistic[b + 1] + best;
        }
        Branch(0, 0, long.MinValue, ref filter);
    }

    // Bids come in descending price, so a trade keeps "min traded bid ≥ max traded ask" iff the
    // new bid's price is ≥ every ask used so far (maxAsk) and ≥ its own offer's price.
    private void Branch<TFilter>(int b, Int128 current, long maxAsk, ref TFilter filter) where TFilter : struct, IPairFilter
    {
        if (b == _bids)
        {
            if (current <= _bestSurplus) return;
            _bestSurplus = current;
            _assign.AsSpan(0, _bids).CopyTo(_best);
            _free.AsSpan(0, _offers).CopyTo(_bestFree);
            return;
        }
        if (current + _optimistic[b] <= _bestSurplus) return;
        long p = _bidPrice[b];
        ulong m = _bidSize[b];
        if (p >= maxAsk)
            for (int o = 0; o < _offers && _offerPrice[o] <= p; o++)
            {
                if (_free[o] < m || !filter.Admits(b, o)) continue;
                _free[o] -= m;
                _assign[b] = o;
                Branch(b + 1, current + PairSurplus(b, o), Math.Max(maxAsk, _offerPrice[o]), ref filter);
                _free[o] += m;
            }
        _assign[b] = -1;
        Branch(b + 1, current, maxAsk, ref filter);
    }
}
