using Market.Matching.Engine;

namespace Market.Matching.Batch;

/// <summary>
/// Call auction of one market: whole bids (one job, one offer), divisible offers, maximise
/// Σ (bid max price − offer price) × mNCU under capacity, constraints and a uniform price.
///
/// Why not just min-cost flow: with whole bids of different sizes the problem is a generalised
/// assignment / multiple-knapsack problem, NP-hard (knapsack reduces to one offer). Min-cost flow
/// solves only the relaxation where a bid may be split across offers; it is exact when all bids
/// have the same size, and that is also when our greedy is exact (exchange argument: with equal
/// sizes every offer is a set of identical slots and "highest bid takes the cheapest slot" is the
/// sorted crossing of demand and supply). So:
/// - up to <c>exactMaxBids</c> bids: an exact branch and bound (<see cref="SolveExact"/>);
/// - above: for each of up to 16 candidate thresholds C (offer prices), greedily give each bid with
///   max price ≥ C, in priority order, the cheapest admissible offer priced ≤ C with room
///   (O(log n) per bid through the augmented <see cref="OrderTree"/>); keep the best.
///   Every greedy answer is checked against <see cref="BatchResult.UpperBound"/>, the fractional
///   unconstrained optimum, which gives a per-instance approximation certificate.
///
/// Uniform price: any allocation priced uniformly needs min traded bid ≥ max traded ask (otherwise
/// some bid pays above its max or some offer sells below its price), so the solver only builds
/// such allocations; the price is the k-double-auction point P = a* + k (b* − a*) between the
/// highest traded ask a* and the lowest traded bid b* (k = 0.5: midpoint; floor favours consumers).
/// Trade-reduction mode (McAfee): the marginal trade — the lowest traded bid — is dropped and the
/// price is that bid's max price, which no remaining trader can move by misreporting; every
/// remaining bid is ≥ it and every remaining ask ≤ a* ≤ it.
/// Inputs: bids in priority order (max price descending, then time), offers in priority order
/// (price ascending, then time, then provider score).
/// </summary>
public sealed partial class BatchSolver
{
    private const int MaxThresholds = 16;

    private readonly int _exactMaxBids;
    private readonly long[] _bidPrice, _offerPrice;
    private readonly ulong[] _bidSize, _offerFree, _free, _bestFree;
    private readonly int[] _assign, _best, _scratch;
    private readonly long[] _thresholds = new long[MaxThresholds + 1];
    private readonly OrderTree _tree;
    private int _bids, _offers;

    public BatchSolver(int maxBids, int maxOffers, int exactMaxBids = 12)
    {
        _exactMaxBids = Math.Min(exactMaxBids, 64); // the optimistic-bound table is sized for 64
        _bidPrice = new long[maxBids];
        _bidSize = new ulong[maxBids];
        _assign = new int[maxBids];
        _best = new int[maxBids];
        _scratch = new int[Math.Max(maxBids, maxOffers)];
        _offerPrice = new long[maxOffers];
        _offerFree = new ulong[maxOffers];
        _free = new ulong[maxOffers];
        _bestFree = new ulong[maxOffers];
        _tree = new OrderTree(maxOffers);
    }

    /// <summary>
    /// Solves one auction. <paramref name="assignment"/>[i] receives the offer index of bid i, or −1;
    /// <paramref name="offerFreeAfter"/> the offers' free mNCU after the trades.
    /// </summary>
    public BatchResult Solve<TFilter>(ReadOnlySpan<long> bidPrice, ReadOnlySpan<ulong> bidSize,
        ReadOnlySpan<long> offerPrice, ReadOnlySpan<ulong> offerFree, ref TFilter filter,
        Span<int> assignment, int kPermille = 500, bool tradeReduction = false) where TFilter : struct, IPairFilter
    {
        _bids = bidPrice.Length;
        _offers = offerPrice.Length;
        bidPrice.CopyTo(_bidPrice);
        bidSize.CopyTo(_bidSize);
        offerPrice.CopyTo(_offerPrice);
        offerFree.CopyTo(_offerFree);
        var bound = UpperBound();
        bool exact = _bids <= _exactMaxBids;
        if (exact) SolveExact(ref filter);
        else SolveGreedy(ref filter);
        for (int i = 0; i < _bids; i++) assignment[i] = _best[i];
        return Price(assignment, bound, exact, kPermille, tradeReduction);
    }

    /// <summary>The offers' free mNCU after the last <see cref="Solve"/>.</summary>
    public ReadOnlySpan<ulong> FreeAfter => _bestFree.AsSpan(0, _offers);

    private Int128 PairSurplus(int b, int o) => (Int128)(_bidPrice[b] - _offerPrice[o]) * (Int128)_bidSize[b];

    /// <summary>Surplus of the fractional relaxation without constraints: the crossing of sorted demand and supply.</summary>
    private Int128 UpperBound()
    {
        Int128 total = 0;
        int o = 0;
        ulong left = _offers > 0 ? _offerFree[0] : 0;
        for (int b = 0; b < _bids && o < _offers; b++)
        {
            ulong need = _bidSize[b];
            while (need > 0 && o < _offers && _offerPrice[o] <= _bidPrice[b])
            {
                ulong take = Math.Min(need, left);
                total += (Int128)(_bidPrice[b] - _offerPrice[o]) * (Int128)take;
                need -= take;
                left -= take;
                if (left == 0 && ++o < _offers) left = _offerFree[o];
            }
        }
        return total;
    }
}
