using Market.Matching.Engine;

namespace Market.Matching.Tests.Engine;

public class ExpiryAndCancelTests
{
    [Fact]
    public void Tick_expires_bids_after_their_deadline_and_offers_at_expiry()
    {
        var h = new Harness();
        h.Bid(1, 800, 10, deadline: h.Now + 10);
        h.Offer(10, 5_000, 50, expiresAt: h.Now + 10);
        h.Now += 10;
        var ev = h.Tick();
        var e = Assert.Single(ev); // the bid's deadline second is still live; the offer is not
        Assert.Equal((EventKind.Expired, Side.Offer, 10L), (e.Kind, e.Side, e.OfferId));
        h.Now += 1;
        e = Assert.Single(h.Tick());
        Assert.Equal((EventKind.Expired, Side.Bid, 1L), (e.Kind, e.Side, e.BidId));
        Assert.Empty(h.Tick());
    }

    [Fact]
    public void Expired_offer_is_removed_lazily_when_a_bid_reaches_it()
    {
        var h = new Harness();
        h.Offer(10, 5_000, 50, expiresAt: h.Now + 5);
        h.Offer(11, 5_000, 60);
        h.Now += 5;
        var ev = h.Bid(1, 800, 100);
        Assert.Equal((EventKind.Expired, 10L), (ev[0].Kind, ev[0].OfferId));
        Assert.Equal((EventKind.Matched, 11L), (ev[1].Kind, ev[1].OfferId));
    }

    [Fact]
    public void Expired_bid_is_removed_lazily_when_an_offer_reaches_it()
    {
        var h = new Harness();
        h.Bid(1, 800, 100, deadline: h.Now + 5);
        h.Bid(2, 800, 90);
        h.Now += 6;
        var ev = h.Offer(10, 5_000, 50);
        Assert.Contains(ev, e => e.Kind == EventKind.Expired && e.BidId == 1);
        Assert.Contains(ev, e => e.Kind == EventKind.Matched && e.BidId == 2);
    }

    [Fact]
    public void Cancel_removes_both_sides()
    {
        var h = new Harness();
        h.Bid(1, 800, 100);
        h.Offer(10, 500, 50);
        Assert.Equal(EventKind.Cancelled, h.CancelBid(1)[0].Kind);
        Assert.False(h.Engine.HasBid(1));
        Assert.Equal(EventKind.Cancelled, h.CancelOffer(10)[0].Kind);
        Assert.Equal(-1, h.Engine.FreeCapacity(10));
        Assert.Equal(RejectReason.UnknownOrder, h.CancelBid(1)[0].Reason);
    }

    [Fact]
    public void Cancelled_order_expiry_entry_is_ignored_and_slot_reuse_is_safe()
    {
        var h = new Harness(new EngineConfig { MaxBids = 1, MaxOffers = 4 });
        h.Bid(1, 800, 100, deadline: h.Now + 5);
        h.CancelBid(1);
        h.Bid(2, 800, 100, deadline: h.Now + 50); // reuses the slot
        h.Now += 10;
        Assert.Empty(h.Tick());
        Assert.True(h.Engine.HasBid(2));
    }

    [Fact]
    public void Clock_never_moves_backwards()
    {
        var h = new Harness();
        h.Offer(10, 5_000, 50, expiresAt: h.Now + 5);
        h.Now += 10;
        h.Tick();
        h.Now -= 20; // a late-stamped command cannot resurrect anything
        Assert.Equal(RejectReason.ExpiredOnArrival, h.Bid(1, 800, 100, deadline: h.Now + 15)[0].Reason);
    }
}
