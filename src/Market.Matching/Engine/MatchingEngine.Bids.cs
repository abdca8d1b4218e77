using System.Runtime.CompilerServices;
using Market.Matching.Constraints;

namespace Market.Matching.Engine;

// Incoming bids: take the cheapest eligible offer with room, or rest.
public sealed partial class MatchingEngine
{
    /// <summary>Offers a bid may take: long enough leases and, when constrained, the bid's filters.</summary>
    private struct OfferFilter(OfferSlot[] offers, uint maxDurationSec, BidConstraints constraints, bool any) : INodeFilter
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly bool Admits(int node)
        {
            ref readonly var o = ref offers[node];
            return o.MaxDurationSec >= maxDurationSec && (any || constraints.Admits(o.Attributes));
        }
    }

    private void PlaceBid(in Command c)
    {
        int market = ValidateOrder(c, isBid: true);
        if (market < 0) return;
        if (_config[market].Mode == MarketMode.Continuous)
        {
            int o = FindOffer(market, c.MilliNcu, c.Price, c.MaxDurationSec, c.Constraints);
            if (o >= 0)
            {
                Fill(o, c.Id, c.MilliNcu);
                return;
            }
        }
        if (!_bidPool.TryTake(out int s))
        {
            RejectRaw(c, RejectReason.BookFull);
            return;
        }
        ref var b = ref _bids[s];
        b.Id = c.Id; b.Seq = c.Seq; b.Time = c.Time; b.MaxPrice = c.Price;
        // Deadline is inclusive: the bid dies at the second after it (saturating at the far future).
        b.ExpiresAt = c.Until == long.MaxValue ? long.MaxValue : c.Until + 1;
        b.MilliNcu = c.MilliNcu; b.MaxDurationSec = c.MaxDurationSec; b.Market = market;
        b.Constraints = c.Constraints;
        _bidIds.Add(c.Id, s);
        b.Bucket = BucketFor(market, c.Constraints);
        JoinBucket(b.Bucket);
        // Bid priority: highest max price, then earlier time, then earlier command.
        _bidBook.Insert(ref _bucketRoot[b.Bucket], b.Bucket, s);
        _bidExpiry.Add(s, b.ExpiresAt, _now);
        Emit(EventKind.Rested, Side.Bid, c.Id, 0, c.Price, c.MilliNcu, market);
    }

    /// <summary>The cheapest live offer in price-time-score order with ≥ m free that admits the bid; −1 if none.</summary>
    private int FindOffer(int market, ulong m, long maxPrice, uint maxDurationSec, in BidConstraints constraints)
    {
        var filter = new OfferFilter(_offers, maxDurationSec, constraints, constraints.IsAny);
        while (true)
        {
            int o = FirstOffer(market, m, maxPrice, ref filter, constraints.RegionMask);
            if (o < 0) return -1;
            // Lazy expiry: an offer past its expiry is removed the moment matching touches it.
            if (_offers[o].ExpiresAt > _now) return o;
            ExpireOffer(o);
        }
    }

    /// <summary>An incoming bid takes m from resting offer o at the offer's price (the resting side's).</summary>
    private void Fill(int o, long bidId, ulong m)
    {
        ref var offer = ref _offers[o];
        SetOfferFree(o, offer.Free - m);
        Emit(EventKind.Matched, Side.Bid, bidId, offer.Id, offer.Price, m, offer.Market);
    }

    private void CancelBid(long id)
    {
        if (!_bidIds.TryGetValue(id, out int s))
        {
            RejectId(Side.Bid, id, RejectReason.UnknownOrder);
            return;
        }
        ref var b = ref _bids[s];
        Emit(EventKind.Cancelled, Side.Bid, id, 0, b.MaxPrice, b.MilliNcu, b.Market);
        RemoveBid(s);
    }

    private void RemoveBid(int s)
    {
        ref var b = ref _bids[s];
        _bidBook.Remove(ref _bucketRoot[b.Bucket], s);
        LeaveBucket(b.Bucket);
        _bidIds.Remove(b.Id);
        _bidExpiry.Remove(s);
        b.Gen++;
        _bidPool.Return(s);
    }

    private void ExpireBid(int s)
    {
        ref var b = ref _bids[s];
        Emit(EventKind.Expired, Side.Bid, b.Id, 0, b.MaxPrice, b.MilliNcu, b.Market);
        RemoveBid(s);
    }

    /// <summary>openLease failed: give the offer its mNCU back, then place the bid again at its original time.</summary>
    private void ReturnBid(in Command c)
    {
        if (_offerIds.TryGetValue(c.OfferId, out int o))
        {
            ref var offer = ref _offers[o];
            SetOfferFree(o, Math.Min(offer.Capacity, offer.Free + c.MilliNcu));
            Emit(EventKind.Released, Side.Offer, 0, offer.Id, offer.Price, c.MilliNcu, offer.Market);
            PlaceBid(c);
            // Whatever the returned bid did not take again may fit other resting bids.
            if (_offerIds.ContainsKey(c.OfferId) && _config[offer.Market].Mode == MarketMode.Continuous) MatchRestingBids(o);
            return;
        }
        PlaceBid(c);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RejectId(Side side, long id, RejectReason reason) =>
        _sink.On(new MatchingEvent(EventKind.Rejected, side, reason, _seq, side == Side.Bid ? id : 0,
            side == Side.Offer ? id : 0, 0, 0, default, 0));
}
