using Market.Matching.Engine;

namespace Market.Matching.Tests.Engine;

public class ContinuousTests
{
    [Fact]
    public void Bid_without_offers_rests()
    {
        var h = new Harness();
        var e = Assert.Single(h.Bid(1, 800, 100));
        Assert.Equal(EventKind.Rested, e.Kind);
        Assert.Equal(Side.Bid, e.Side);
        Assert.True(h.Engine.HasBid(1));
    }

    [Fact]
    public void Incoming_bid_takes_the_cheapest_offer_at_the_offer_price()
    {
        var h = new Harness();
        h.Offer(10, 5_000, 90);
        h.Offer(11, 5_000, 70);
        h.Offer(12, 5_000, 80);
        var e = Assert.Single(h.Bid(1, 800, 100));
        Assert.Equal(EventKind.Matched, e.Kind);
        Assert.Equal((1L, 11L, 70L, 800UL), (e.BidId, e.OfferId, e.Price, e.MilliNcu));
        Assert.Equal(4_200, h.Engine.FreeCapacity(11));
    }

    [Fact]
    public void Offer_above_the_bid_max_does_not_match()
    {
        var h = new Harness();
        h.Offer(10, 5_000, 101);
        Assert.Equal(EventKind.Rested, Assert.Single(h.Bid(1, 800, 100)).Kind);
    }

    [Fact]
    public void Bid_skips_cheaper_offers_without_enough_free_capacity()
    {
        var h = new Harness();
        h.Offer(10, 600, 50);
        h.Offer(11, 900, 60);
        var e = Assert.Single(h.Bid(1, 800, 100));
        Assert.Equal(11, e.OfferId);
    }

    [Fact]
    public void Bids_are_whole_never_split_across_offers()
    {
        var h = new Harness();
        h.Offer(10, 600, 50);
        h.Offer(11, 600, 50);
        Assert.Equal(EventKind.Rested, Assert.Single(h.Bid(1, 1_000, 100)).Kind);
    }

    [Fact]
    public void Offers_are_divisible_across_bids_until_full()
    {
        var h = new Harness();
        h.Offer(10, 2_000, 50);
        Assert.Equal(EventKind.Matched, h.Bid(1, 900, 100)[0].Kind);
        Assert.Equal(EventKind.Matched, h.Bid(2, 1_000, 100)[0].Kind);
        Assert.Equal(EventKind.Rested, h.Bid(3, 500, 100)[0].Kind);
        Assert.Equal(100, h.Engine.FreeCapacity(10));
    }

    [Fact]
    public void Equal_price_offers_go_by_earlier_time_then_higher_provider_score()
    {
        var h = new Harness();
        h.Offer(10, 5_000, 50, attributes: new(0, 0, 0, 0, 0, ProviderScore: 10));
        h.Offer(11, 5_000, 50, attributes: new(0, 0, 0, 0, 0, ProviderScore: 900));
        h.Now += 1;
        h.Offer(12, 5_000, 50, attributes: new(0, 0, 0, 0, 0, ProviderScore: 999_999));
        Assert.Equal(11, h.Bid(1, 800, 100)[0].OfferId); // same second: score decides
        Assert.Equal(11, h.Bid(2, 800, 100)[0].OfferId); // still room on 11
        h.CancelOffer(11);
        Assert.Equal(10, h.Bid(3, 800, 100)[0].OfferId); // earlier second beats the best score
    }

    [Fact]
    public void Earlier_offer_beats_higher_score_at_equal_price()
    {
        var h = new Harness();
        h.Offer(10, 5_000, 50, attributes: new(0, 0, 0, 0, 0, ProviderScore: 1));
        h.Now += 1;
        h.Offer(11, 5_000, 50, attributes: new(0, 0, 0, 0, 0, ProviderScore: 999_999));
        Assert.Equal(10, h.Bid(1, 800, 100)[0].OfferId);
    }

    [Fact]
    public void New_offer_serves_resting_bids_highest_price_first_at_the_bid_price()
    {
        var h = new Harness();
        h.Bid(1, 1_000, 60);
        h.Bid(2, 1_000, 90);
        h.Bid(3, 1_000, 90);
        h.Bid(4, 1_000, 40); // below the ask: stays
        var ev = h.Offer(10, 2_500, 50);
        var matched = ev.FindAll(e => e.Kind == EventKind.Matched);
        Assert.Equal(new long[] { 2, 3 }, matched.ConvertAll(e => e.BidId));
        Assert.Equal(new long[] { 90, 90 }, matched.ConvertAll(e => e.Price));
        Assert.Equal(500, h.Engine.FreeCapacity(10));
        Assert.True(h.Engine.HasBid(1) && h.Engine.HasBid(4));
    }

    [Fact]
    public void Resting_bid_too_big_for_the_rest_is_skipped_for_a_smaller_later_one()
    {
        var h = new Harness();
        h.Bid(1, 2_000, 90);
        h.Bid(2, 600, 80);
        var matched = h.Offer(10, 1_000, 50).FindAll(e => e.Kind == EventKind.Matched);
        Assert.Equal(2, Assert.Single(matched).BidId);
    }

    [Fact]
    public void Released_capacity_serves_resting_bids()
    {
        var h = new Harness();
        h.Offer(10, 1_000, 50);
        h.Bid(1, 1_000, 90);
        Assert.Equal(EventKind.Rested, h.Bid(2, 700, 90)[0].Kind);
        var ev = h.Release(10, 1_000);
        Assert.Equal(EventKind.Released, ev[0].Kind);
        Assert.Equal(2, ev[1].BidId);
        Assert.Equal(300, h.Engine.FreeCapacity(10));
    }

    [Fact]
    public void An_offer_back_in_the_book_rests_only_what_its_open_leases_do_not_hold()
    {
        var h = new Harness();
        var rested = Assert.Single(h.Offer(10, 2_000, 50, reserved: 1_200));
        Assert.Equal((EventKind.Rested, 800UL), (rested.Kind, rested.MilliNcu));
        Assert.Equal(800, h.Engine.FreeCapacity(10));
        Assert.Equal(EventKind.Rested, h.Bid(1, 900, 90)[0].Kind); // does not fit in 800
        Assert.Equal(EventKind.Matched, h.Bid(2, 800, 90)[0].Kind);
        // The leases that held the 1,200 end: the capacity returns and serves the resting bid.
        var ev = h.Release(10, 1_200);
        Assert.Equal((EventKind.Released, EventKind.Matched, 1L), (ev[0].Kind, ev[1].Kind, ev[1].BidId));
        Assert.Equal(RejectReason.ReleaseExceedsCapacity, h.Offer(11, 1_000, 50, reserved: 1_001)[0].Reason);
        Assert.Equal(0UL, Assert.Single(h.Offer(12, 1_000, 50, reserved: 1_000)).MilliNcu);
    }

    [Fact]
    public void Release_above_what_is_leased_is_rejected()
    {
        var h = new Harness();
        h.Offer(10, 1_000, 50);
        h.Bid(1, 600, 90);
        Assert.Equal(RejectReason.ReleaseExceedsCapacity, h.Release(10, 601)[0].Reason);
        Assert.Equal(RejectReason.ZeroSize, h.Release(10, 0)[0].Reason);
        Assert.Equal(RejectReason.UnknownOrder, h.Release(99, 1)[0].Reason);
    }

    [Fact]
    public void Failed_open_returns_the_bid_and_the_capacity()
    {
        var h = new Harness();
        h.Offer(10, 1_000, 50);
        var place = Command.Bid(h.NextSeq(), h.Now, 1, Market.Matching.Model.ComputeType.Parallel, 3, 800, 90, h.Now + 600, 3_600,
            Market.Matching.Constraints.BidConstraints.Any);
        Assert.Equal(EventKind.Matched, h.Apply(place)[0].Kind);
        h.CancelOffer(10);
        h.Offer(11, 1_000, 60);
        // openLease of (1, 10) failed on chain: the bid comes back and takes the next best offer.
        var ev = h.Apply(Command.Return(h.NextSeq(), place, 10));
        Assert.Equal(EventKind.Matched, ev[0].Kind);
        Assert.Equal(11, ev[0].OfferId);
    }

    [Fact]
    public void Reprice_keeps_time_priority_and_can_trigger_matches()
    {
        var h = new Harness();
        h.Offer(10, 1_000, 100);
        h.Bid(1, 800, 80);
        var ev = h.Reprice(10, 70);
        Assert.Equal(EventKind.Repriced, ev[0].Kind);
        Assert.Equal((EventKind.Matched, 1L, 80L), (ev[1].Kind, ev[1].BidId, ev[1].Price));
    }
}
