using System.Numerics;
using Market.Matching.Constraints;

namespace Market.Matching.Engine;

// Offers are indexed twice: in the market's offer tree and in a tree per (market, region). Region
// is the constraint bids use most and the most selective one (one region out of many), so a bid
// that names a few regions searches only those regions' offers instead of filtering every offer
// of the market node by node; the candidates' keys are the same in both trees, so the best of
// the per-region answers is the answer. Bids naming no region (or many) use the market tree.
public sealed partial class MatchingEngine
{
    /// <summary>Bids naming at most this many regions search the per-region trees.</summary>
    private const int RegionFanOut = 4;

    private OrderTree _regionTree = null!;
    private int[] _regionRoot = null!;
    private readonly bool[] _regionIndexed = new bool[EngineConfig.MarketCount];

    private void InitRegions(EngineConfig config)
    {
        _regionTree = new OrderTree(config.MaxOffers);
        _regionRoot = new int[EngineConfig.MarketCount * ConstraintCatalog.MaxRegions];
        Array.Fill(_regionRoot, OrderTree.Nil);
    }

    private ref int RegionRoot(int market, byte region) => ref _regionRoot[market * ConstraintCatalog.MaxRegions + (region & 63)];

    /// <summary>Offers in one price level beyond which the market leaves price levels for the offer treap.</summary>
    internal const int MaxOfferLevel = 48;

    // Per market: false while its offers are in price levels (OfferLevels), true once it moved to the treap.
    private readonly bool[] _offerTreeMode = new bool[EngineConfig.MarketCount];

    private void IndexOffer(int s, long price)
    {
        ref var o = ref _offers[s];
        long k3 = OfferK3(o.Attributes, o.Seq);
        if (_offerTreeMode[o.Market]) _offerTree.Insert(ref _offerRoot[o.Market], s, price, o.Time, k3, (long)o.Free);
        else if (_offerBook.Insert(ref _offerRoot[o.Market], s, k3) > MaxOfferLevel) MoveOffersToTree(o.Market);
        if (_regionIndexed[o.Market])
            _regionTree.Insert(ref RegionRoot(o.Market, o.Attributes.Region), s, price, o.Time, k3, (long)o.Free);
    }

    private void UnindexOffer(int s)
    {
        ref var o = ref _offers[s];
        if (_offerTreeMode[o.Market]) _offerTree.Remove(ref _offerRoot[o.Market], s);
        else _offerBook.Remove(ref _offerRoot[o.Market], s);
        if (_regionIndexed[o.Market]) _regionTree.Remove(ref RegionRoot(o.Market, o.Attributes.Region), s);
    }

    private void SetOfferFree(int s, ulong free)
    {
        ref var o = ref _offers[s];
        ulong old = o.Free;
        o.Free = free;
        if (_offerTreeMode[o.Market]) _offerTree.SetValue(_offerRoot[o.Market], s, (long)free);
        else _offerBook.FreeChanged(_offerRoot[o.Market], s, old);
        if (_regionIndexed[o.Market]) _regionTree.SetValue(RegionRoot(o.Market, o.Attributes.Region), s, (long)free);
    }

    /// <summary>One-off: index the market's live offers by region (deterministic: in key order, at a command boundary).</summary>
    private void BuildRegionIndex(int market)
    {
        _regionIndexed[market] = true;
        int n = OffersInOrder(market);
        for (int i = 0; i < n; i++)
        {
            int s = _offerOrder[i];
            ref var o = ref _offers[s];
            _regionTree.Insert(ref RegionRoot(market, o.Attributes.Region), s, o.Price, o.Time, OfferK3(o.Attributes, o.Seq), (long)o.Free);
        }
    }

    /// <summary>Whether the market's offers moved from price levels to the offer treap (for tests).</summary>
    internal bool UsesOfferTree(int market) => _offerTreeMode[market];

    /// <summary>The market's live offers in priority order into <c>_offerOrder</c>; returns the count.</summary>
    private int OffersInOrder(int market) => _offerTreeMode[market]
        ? _offerTree.InOrder(_offerRoot[market], _offerOrder, 0)
        : _offerBook.InOrder(_offerRoot[market], _offerOrder, _offerLevelOrder, 0);

    /// <summary>
    /// One-off, from IndexOffer once the new offer's level holds more than <see cref="MaxOfferLevel"/>
    /// offers: moves the market's offers (the new one included) from price levels to the offer treap,
    /// in key order, for good. Deterministic: it depends on the command sequence only.
    /// </summary>
    private void MoveOffersToTree(int market)
    {
        int n = OffersInOrder(market);
        ref int root = ref _offerRoot[market];
        for (int i = 0; i < n; i++) _offerBook.Remove(ref root, _offerOrder[i]);
        _offerTreeMode[market] = true;
        for (int i = 0; i < n; i++)
        {
            int s = _offerOrder[i];
            ref var o = ref _offers[s];
            _offerTree.Insert(ref root, s, o.Price, o.Time, OfferK3(o.Attributes, o.Seq), (long)o.Free);
        }
    }

    /// <summary>The first offer in priority order over the market's offers, searched through the tree that prunes most.</summary>
    private int FirstOffer(int market, ulong m, long maxPrice, ref OfferFilter filter, ulong regionMask)
    {
        if (regionMask == 0 || BitOperations.PopCount(regionMask) > RegionFanOut)
            return _offerTreeMode[market]
                ? _offerTree.FindFirst(_offerRoot[market], (long)m, maxPrice, ref filter)
                : _offerBook.FindFirst(_offerRoot[market], m, maxPrice, ref filter);
        if (!_regionIndexed[market]) BuildRegionIndex(market);
        int best = OrderTree.Nil;
        while (regionMask != 0)
        {
            byte region = (byte)BitOperations.TrailingZeroCount(regionMask);
            regionMask &= regionMask - 1;
            int o = _regionTree.FindFirst(RegionRoot(market, region), (long)m, maxPrice, ref filter);
            if (o != OrderTree.Nil && (best == OrderTree.Nil || _regionTree.Before(o, best))) best = o;
        }
        return best;
    }
}
