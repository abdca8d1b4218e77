using Market.Matching.Constraints;
using Market.Matching.Engine;
using Market.Matching.Model;
using Market.Matching.Tests.Batch;

namespace Market.Matching.Tests.Engine;

public class BatchMarketTests
{
    private static Harness BatchHarness(bool tradeReduction = false) =>
        new(new EngineConfig { MaxBids = 64, MaxOffers = 16 }
            .With(ComputeType.Parallel, Grades.Medium, MarketConfig.Batch with { TradeReduction = tradeReduction }));

    [Fact]
    public void Orders_rest_until_the_auction_then_trade_at_one_price()
    {
        var h = BatchHarness();
        h.Offer(10, 2_000, 40);
        h.Offer(11, 2_000, 50);
        Assert.Equal(EventKind.Rested, h.Bid(1, 1_500, 120)[0].Kind);
        h.Bid(2, 1_500, 100);
        h.Bid(3, 1_500, 30); // below every ask
        var ev = h.Auction(Grades.Medium);
        var matched = ev.FindAll(e => e.Kind == EventKind.Matched);
        Assert.Equal(2, matched.Count);
        Assert.All(matched, e => Assert.Equal(75, e.Price)); // midpoint of ask 50 and bid 100
        var cleared = ev[^1];
        Assert.Equal((EventKind.AuctionCleared, 75L, 3_000UL), (cleared.Kind, cleared.Price, cleared.MilliNcu));
        Assert.True(h.Engine.HasBid(3));
        Assert.Equal(500, h.Engine.FreeCapacity(10));
        Assert.Equal(500, h.Engine.FreeCapacity(11));
    }

    [Fact]
    public void Batch_markets_do_not_match_continuously_but_continuous_ones_still_do()
    {
        var h = BatchHarness();
        h.Offer(10, 2_000, 40);
        Assert.Equal(EventKind.Rested, h.Bid(1, 1_500, 120)[0].Kind);
        h.Offer(20, 50_000, 40); // grade 2 stays continuous
        Assert.Equal(EventKind.Matched, h.Bid(2, 20_000, 120)[0].Kind);
    }

    [Fact]
    public void Trade_reduction_mode_drops_the_marginal_bid()
    {
        var h = BatchHarness(tradeReduction: true);
        h.Offer(10, 9_000, 40);
        h.Bid(1, 1_000, 120);
        h.Bid(2, 1_000, 100);
        h.Bid(3, 1_000, 90);
        var matched = h.Auction(Grades.Medium).FindAll(e => e.Kind == EventKind.Matched);
        Assert.Equal(new long[] { 1, 2 }, matched.ConvertAll(e => e.BidId));
        Assert.All(matched, e => Assert.Equal(90, e.Price));
        Assert.True(h.Engine.HasBid(3));
    }

    [Fact]
    public void Expired_orders_do_not_trade_in_the_auction()
    {
        var h = BatchHarness();
        h.Offer(10, 2_000, 40, expiresAt: h.Now + 5);
        h.Bid(1, 1_000, 120);
        h.Now += 5;
        var ev = h.Auction(Grades.Medium);
        Assert.Contains(ev, e => e.Kind == EventKind.Expired && e.OfferId == 10);
        Assert.DoesNotContain(ev, e => e.Kind == EventKind.Matched);
    }

    [Fact]
    public void Engine_auction_equals_brute_force_on_small_random_markets()
    {
        var r = new Random(11);
        for (int t = 0; t < 150; t++)
        {
            var h = BatchHarness();
            int n = r.Next(1, 7), m = r.Next(1, 4);
            var offers = new List<(long P, ulong F, OfferAttributes A)>();
            for (int j = 0; j < m; j++)
            {
                var a = new OfferAttributes((byte)r.Next(2), 0, 0, 0, 0, 0);
                offers.Add((r.Next(1, 100), (ulong)r.Next(500, 4_000), a));
                h.Offer(100 + j, offers[j].F, offers[j].P, attributes: a);
            }
            var bids = new List<(long P, ulong M, BidConstraints C)>();
            for (int i = 0; i < n; i++)
            {
                var c = r.Next(3) == 0 ? new BidConstraints(1UL << r.Next(2), 0, 0, 0, 255) : BidConstraints.Any;
                bids.Add((r.Next(1, 100), (ulong)r.Next(500, 3_000), c));
                h.Bid(i + 1, bids[i].M, bids[i].P, constraints: c);
            }
            var ev = h.Auction(Grades.Medium);
            // Brute force in the engine's priority orders (bids by price desc then arrival; offers by price asc then arrival).
            var bo = Enumerable.Range(0, n).OrderByDescending(i => bids[i].P).ThenBy(i => i).ToArray();
            var oo = Enumerable.Range(0, m).OrderBy(j => offers[j].P).ThenBy(j => j).ToArray();
            var best = BruteForce.Best(bo.Select(i => bids[i].P).ToArray(), bo.Select(i => bids[i].M).ToArray(),
                oo.Select(j => offers[j].P).ToArray(), oo.Select(j => offers[j].F).ToArray(),
                (i, j) => bids[bo[i]].C.Admits(offers[oo[j]].A));
            Int128 surplus = 0;
            foreach (var e in ev.FindAll(e => e.Kind == EventKind.Matched))
            {
                var b = bids[(int)e.BidId - 1];
                var o = offers[(int)e.OfferId - 100];
                Assert.True(e.Price <= b.P && e.Price >= o.P);
                surplus += (Int128)(b.P - o.P) * b.M;
            }
            Assert.Equal(best, surplus);
            Assert.Equal(best, h.Engine.LastAuction.Surplus);
        }
    }
}
