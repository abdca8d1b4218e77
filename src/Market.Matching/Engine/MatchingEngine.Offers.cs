using System.Runtime.CompilerServices;
using Market.Matching.Constraints;

namespace Market.Matching.Engine;

// Incoming offers and capacity changes: rest, then serve resting bids in bid priority.
public sealed partial class MatchingEngine
{
    /// <summary>Resting bids an offer may serve: the bid's constraints admit the offer and the lease fits.</summary>
    private struct BidFilter(BidSlot[] bids, uint offerMaxDurationSec, OfferAttributes attributes) : INodeFilter
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly bool Admits(int node)
        {
            ref readonly var b = ref bids[node];
            return b.MaxDurationSec <= offerMaxDurationSec && b.Constraints.Admits(attributes);
        }
    }

    private void PlaceOffer(in Command c)
    {
        int market = ValidateOrder(c, isBid: false);
        if (market < 0) return;
        if (c.Reserved > c.MilliNcu)
        {
            RejectRaw(c, RejectReason.ReleaseExceedsCapacity);
            return;
        }
        if (!_offerPool.TryTake(out int s))
        {
            RejectRaw(c, RejectReason.BookFull);
            return;
        }
        ref var o = ref _offers[s];
        o.Id = c.Id; o.Seq = c.Seq; o.Time = c.Time; o.Price = c.Price; o.ExpiresAt = c.Until;
        o.Capacity = c.MilliNcu; o.Free = c.MilliNcu - c.Reserved; o.MaxDurationSec = c.MaxDurationSec; o.Market = market;
        o.Attributes = c.Attributes;
        _offerIds.Add(c.Id, s);
        // Offer priority: lowest price, then earlier time, then higher provider score, then earlier command.
        IndexOffer(s, c.Price);
        _offerExpiry.Add(s, o.ExpiresAt, _now);
        Emit(EventKind.Rested, Side.Offer, 0, c.Id, c.Price, o.Free, market);
        if (_config[market].Mode == MarketMode.Continuous && o.Free > 0) MatchRestingBids(s);
    }

    /// <summary>
    /// Serves resting bids from offer o in bid priority (highest max price, then earlier) while they
    /// fit its free capacity. The bids are the resting side, so each trades at its own max price.
    /// </summary>
    private void MatchRestingBids(int o)
    {
        ref var offer = ref _offers[o];
        int market = offer.Market;
        ulong free = offer.Free;
        if (free == 0 || _activeCount[market] == 0) return;
        BeginServing(o, free);
        while (free > 0)
        {
            int b = NextRestingBid(o, free);
            if (b < 0) break;
            ref var bid = ref _bids[b];
            if (bid.ExpiresAt <= _now)
            {
                ExpireBid(b);
                continue;
            }
            free -= bid.MilliNcu;
            Emit(EventKind.Matched, Side.Offer, bid.Id, offer.Id, bid.MaxPrice, bid.MilliNcu, market);
            RemoveBid(b);
        }
        if (free != offer.Free) SetOfferFree(o, free);
    }

    private void CancelOffer(long id)
    {
        if (!_offerIds.TryGetValue(id, out int s))
        {
            RejectId(Side.Offer, id, RejectReason.UnknownOrder);
            return;
        }
        ref var o = ref _offers[s];
        Emit(EventKind.Cancelled, Side.Offer, 0, id, o.Price, o.Free, o.Market);
        RemoveOffer(s);
    }

    private void RemoveOffer(int s)
    {
        ref var o = ref _offers[s];
        UnindexOffer(s);
        _offerIds.Remove(o.Id);
        _offerExpiry.Remove(s);
        o.Gen++;
        _offerPool.Return(s);
    }

    private void ExpireOffer(int s)
    {
        ref var o = ref _offers[s];
        Emit(EventKind.Expired, Side.Offer, 0, o.Id, o.Price, o.Free, o.Market);
        RemoveOffer(s);
    }

    /// <summary>A lease ended: its mNCU return to the offer (never above the posted capacity).</summary>
    private void Release(long offerId, ulong m)
    {
        if (!_offerIds.TryGetValue(offerId, out int s))
        {
            RejectId(Side.Offer, offerId, RejectReason.UnknownOrder);
            return;
        }
        ref var o = ref _offers[s];
        if (m == 0 || m > o.Capacity - o.Free)
        {
            RejectId(Side.Offer, offerId, m == 0 ? RejectReason.ZeroSize : RejectReason.ReleaseExceedsCapacity);
            return;
        }
        SetOfferFree(s, o.Free + m);
        Emit(EventKind.Released, Side.Offer, 0, offerId, o.Price, m, o.Market);
        if (_config[o.Market].Mode == MarketMode.Continuous) MatchRestingBids(s);
    }

    /// <summary>New price, same place in time: the offer is re-keyed, then may serve resting bids it now reaches.</summary>
    private void Reprice(long offerId, long price)
    {
        if (!_offerIds.TryGetValue(offerId, out int s))
        {
            RejectId(Side.Offer, offerId, RejectReason.UnknownOrder);
            return;
        }
        if (price <= 0 || price > Model.Pricing.MaxPricePerNcuHour)
        {
            RejectId(Side.Offer, offerId, price <= 0 ? RejectReason.ZeroPrice : RejectReason.PriceTooHigh);
            return;
        }
        ref var o = ref _offers[s];
        UnindexOffer(s);
        o.Price = price;
        IndexOffer(s, price);
        Emit(EventKind.Repriced, Side.Offer, 0, offerId, price, o.Free, o.Market);
        if (_config[o.Market].Mode == MarketMode.Continuous) MatchRestingBids(s);
    }

    /// <summary>
    /// Tick: expire, in deadline order, every bid and then every offer whose time has come (within
    /// one second, in the order they were placed). Expiring removes the order from its wheel.
    /// </summary>
    private void ExpireDue()
    {
        int s;
        while ((s = _bidExpiry.NextDue(_now)) >= 0) ExpireBid(s);
        while ((s = _offerExpiry.NextDue(_now)) >= 0) ExpireOffer(s);
    }
}
