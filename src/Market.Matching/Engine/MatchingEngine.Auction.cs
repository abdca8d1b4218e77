using Market.Matching.Batch;

namespace Market.Matching.Engine;

// Batch (call) markets: orders rest until RunAuction clears the market in one go.
public sealed partial class MatchingEngine
{
    private BatchSolver _solver = null!;
    private int[] _bidOrder = null!, _levelOrder = null!, _offerLevelOrder = null!, _offerOrder = null!, _assignment = null!;
    private long[] _bidPrices = null!, _offerPrices = null!;
    private ulong[] _bidSizes = null!, _offerFrees = null!;

    /// <summary>The outcome of the last auction this engine ran (for hosts and reporting).</summary>
    public BatchResult LastAuction { get; private set; }

    private void InitBatch(EngineConfig config)
    {
        _solver = new BatchSolver(config.MaxBids, config.MaxOffers, config.ExactBatchMaxBids);
        _bidOrder = new int[config.MaxBids];
        _levelOrder = new int[config.MaxBids];
        _offerOrder = new int[config.MaxOffers];
        _offerLevelOrder = new int[config.MaxOffers];
        _assignment = new int[config.MaxBids];
        _bidPrices = new long[config.MaxBids];
        _bidSizes = new ulong[config.MaxBids];
        _offerPrices = new long[config.MaxOffers];
        _offerFrees = new ulong[config.MaxOffers];
    }

    /// <summary>Pairs of the auction's local indices, mapped back to slots to test constraints and durations.</summary>
    private readonly struct SlotPairs(BidSlot[] bids, OfferSlot[] offers, int[] bidOrder, int[] offerOrder) : IPairFilter
    {
        public bool Admits(int bid, int offer)
        {
            ref readonly var b = ref bids[bidOrder[bid]];
            ref readonly var o = ref offers[offerOrder[offer]];
            return b.MaxDurationSec <= o.MaxDurationSec && b.Constraints.Admits(o.Attributes);
        }
    }

    private void RunAuction(in Command c)
    {
        int market = EngineConfig.Index(c.Type, c.Grade);
        if (market < 0 || _config[market].Mode != MarketMode.Batch)
        {
            RejectRaw(c, market < 0 ? RejectReason.UnknownMarket : RejectReason.NotBatchMarket);
            return;
        }
        int nb = CollectBids(market);
        int no = CollectOffers(market);
        var cfg = _config[market];
        var pairs = new SlotPairs(_bids, _offers, _bidOrder, _offerOrder);
        var result = _solver.Solve(_bidPrices.AsSpan(0, nb), _bidSizes.AsSpan(0, nb), _offerPrices.AsSpan(0, no),
            _offerFrees.AsSpan(0, no), ref pairs, _assignment, cfg.KPermille, cfg.TradeReduction);
        LastAuction = result;
        var freeAfter = _solver.FreeAfter;
        for (int i = 0; i < nb; i++)
        {
            int oi = _assignment[i];
            if (oi < 0) continue;
            int b = _bidOrder[i];
            Emit(EventKind.Matched, Side.None, _bids[b].Id, _offers[_offerOrder[oi]].Id, result.ClearingPrice,
                _bids[b].MilliNcu, market);
            RemoveBid(b);
        }
        for (int i = 0; i < no; i++)
        {
            int o = _offerOrder[i];
            if (_offers[o].Free != freeAfter[i]) SetOfferFree(o, freeAfter[i]);
        }
        Emit(EventKind.AuctionCleared, Side.None, 0, 0, result.ClearingPrice, result.TradedMilliNcu, market);
    }

    /// <summary>Live bids of the market in priority order; expired ones are expired on the way.</summary>
    private int CollectBids(int market)
    {
        int n = _bidBook.InOrder(_bucketRoot[market], _bidOrder, _levelOrder, 0); // batch markets keep every bid in their mixed bucket
        int live = 0;
        for (int i = 0; i < n; i++)
        {
            int s = _bidOrder[i];
            if (_bids[s].ExpiresAt <= _now) { ExpireBid(s); continue; }
            _bidOrder[live] = s;
            _bidPrices[live] = _bids[s].MaxPrice;
            _bidSizes[live] = _bids[s].MilliNcu;
            live++;
        }
        return live;
    }

    private int CollectOffers(int market)
    {
        int n = OffersInOrder(market);
        int live = 0;
        for (int i = 0; i < n; i++)
        {
            int s = _offerOrder[i];
            if (_offers[s].ExpiresAt <= _now) { ExpireOffer(s); continue; }
            _offerOrder[live] = s;
            _offerPrices[live] = _offers[s].Price;
            _offerFrees[live] = _offers[s].Free;
            live++;
        }
        return live;
    }
}
