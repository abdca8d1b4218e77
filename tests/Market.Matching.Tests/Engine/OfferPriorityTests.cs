using Market.Matching.Engine;

namespace Market.Matching.Tests.Engine;

public class OfferPriorityTests
{
    [Fact]
    public void A_repriced_offer_keeps_its_time_priority_within_its_new_level()
    {
        var h = new Harness();
        h.Offer(10, 2_000, 1_100);
        h.Now += 5;
        h.Offer(11, 2_000, 1_000);
        h.Offer(12, 2_000, 1_000);
        h.Reprice(10, 1_000);                           // joins the 1,000 level ahead of 11 and 12
        var ev = h.Bid(1, 2_000, 1_000);
        Assert.Equal(10, Assert.Single(ev, e => e.Kind == EventKind.Matched).OfferId);
        ev = h.Bid(2, 2_000, 1_000);
        Assert.Equal(11, Assert.Single(ev, e => e.Kind == EventKind.Matched).OfferId);
    }

    [Fact]
    public void A_level_whose_roomiest_offer_filled_up_is_skipped_for_a_large_bid()
    {
        var h = new Harness();
        h.Offer(10, 1_000, 900);
        h.Offer(11, 8_000, 900);                        // the level's most free mNCU
        h.Offer(12, 6_000, 950);
        h.Bid(1, 7_000, 2_000);                          // takes 7,000 of offer 11: 1,000 left
        var ev = h.Bid(2, 5_000, 2_000);                 // nothing at 900 has 5,000 free any more
        Assert.Equal(12, Assert.Single(ev, e => e.Kind == EventKind.Matched).OfferId);
        h.Release(11, 7_000);                            // offer 11 has room again
        ev = h.Bid(3, 5_000, 2_000);
        Assert.Equal(11, Assert.Single(ev, e => e.Kind == EventKind.Matched).OfferId);
    }
}
