using Market.Matching.Engine;
using Market.Matching.Model;

namespace Market.Matching.Tests.Engine;

public class BidLevelsTests
{
    /// <summary>Admits bids whose lease is at most a bound (the shape of the engine's duration filter).</summary>
    private readonly struct MaxDuration(BidSlot[] bids, uint bound) : INodeFilter
    {
        public bool Admits(int node) => bids[node].MaxDurationSec <= bound;
    }

    private static bool Before(in BidSlot x, in BidSlot y) =>
        x.MaxPrice != y.MaxPrice ? x.MaxPrice > y.MaxPrice : x.Time != y.Time ? x.Time < y.Time : x.Seq < y.Seq;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Price_levels_agree_with_a_sorted_scan_under_churn(int seed)
    {
        const int cap = 600, books = 3;
        var r = new Random(seed);
        var bids = new BidSlot[cap];
        var book = new BidLevels(bids, cap, books);
        var roots = new int[books];
        Array.Fill(roots, BidLevels.Nil);
        var live = new List<int>[books];
        for (int k = 0; k < books; k++) live[k] = new List<int>();
        var free = new Stack<int>(Enumerable.Range(0, cap).Reverse());
        long seq = 0, time = 1_000;
        int[] into = new int[cap], scratch = new int[cap];
        for (int step = 0; step < 30_000; step++)
        {
            int k = r.Next(books);
            if (r.Next(100) < 55 && free.Count > 0)
            {
                int s = free.Pop();
                if (r.Next(10) == 0) time++;
                // Mostly the current time; sometimes an older one (a returned bid keeps its place).
                long t = r.Next(8) == 0 ? time - r.Next(0, 5) : time;
                bids[s] = new BidSlot
                {
                    Seq = ++seq, Time = t, MaxPrice = r.Next(0, 12) * 10 + 900, MilliNcu = (ulong)r.Next(1, 40),
                    MaxDurationSec = (uint)r.Next(1, 5), Bucket = k,
                };
                book.Insert(ref roots[k], k, s);
                live[k].Add(s);
            }
            else if (live[k].Count > 0)
            {
                int i = r.Next(live[k].Count);
                int s = live[k][i];
                book.Remove(ref roots[k], s);
                live[k].RemoveAt(i);
                free.Push(s);
            }

            var sorted = live[k].OrderBy(s => s, Comparer<int>.Create((a, b) =>
                a == b ? 0 : Before(bids[a], bids[b]) ? -1 : 1)).ToList();
            ulong room = (ulong)r.Next(0, 45);
            long minPrice = r.Next(0, 13) * 10 + 895;
            uint bound = (uint)r.Next(1, 5);
            int expected = BidLevels.Nil;
            foreach (int s in sorted)
            {
                if (bids[s].MaxPrice < minPrice) break;
                if (bids[s].MilliNcu <= room && bids[s].MaxDurationSec <= bound) { expected = s; break; }
            }
            var filter = new MaxDuration(bids, bound);
            Assert.Equal(expected, book.FindFirst(roots[k], room, minPrice, ref filter));

            if (step % 97 == 0)
            {
                int n = book.InOrder(roots[k], into, scratch, 0);
                Assert.Equal(sorted, into.Take(n));
                int levels = 0;
                for (int b = 0; b < books; b++) levels += live[b].Select(s => bids[s].MaxPrice).Distinct().Count();
                Assert.Equal(levels, book.Levels);
                if (sorted.Count > 1) Assert.True(book.Before(sorted[0], sorted[^1]));
            }
        }

        // Emptying every book returns every level.
        for (int k = 0; k < books; k++)
            foreach (int s in live[k]) book.Remove(ref roots[k], s);
        Assert.Equal(0, book.Levels);
        Assert.All(roots, root => Assert.Equal(BidLevels.Nil, root));
    }

    [Fact]
    public void A_returned_bid_keeps_its_time_priority_within_its_price_level()
    {
        var h = new Harness();
        h.Offer(10, 2_000, 1_000);
        h.Bid(1, 2_000, 1_000);                         // takes the whole offer
        var placed = h.Journal[^1];
        h.Now += 5;
        h.Bid(2, 2_000, 1_000);                         // rests, later time, same price
        h.Bid(3, 2_000, 1_000);
        h.CancelOffer(10);                              // the host blames the offer
        h.Apply(Command.Return(h.NextSeq(), placed, 10)); // bid 1 rests again with its original time
        var ev = h.Offer(11, 2_000, 900);
        var match = Assert.Single(ev, e => e.Kind == EventKind.Matched);
        Assert.Equal(1, match.BidId);                   // earliest time first, though placed last
        ev = h.Offer(12, 4_000, 900);
        Assert.Equal(new long[] { 2, 3 }, ev.Where(e => e.Kind == EventKind.Matched).Select(e => e.BidId));
    }

    [Fact]
    public void A_small_bid_behind_big_ones_at_the_same_price_is_found()
    {
        var h = new Harness();
        h.Bid(1, 5_000, 1_000);
        h.Bid(2, 5_000, 1_000);
        h.Bid(3, 1_000, 1_000);
        h.Bid(4, 900, 1_100);                           // higher price: served first
        var ev = h.Offer(10, 2_000, 950);
        Assert.Equal(new long[] { 4, 3 }, ev.Where(e => e.Kind == EventKind.Matched).Select(e => e.BidId));
        h.CancelBid(1);
        ev = h.Offer(11, 5_000, 950);                   // bid 2 is now the only one left at 1,000
        Assert.Equal(new long[] { 2 }, ev.Where(e => e.Kind == EventKind.Matched).Select(e => e.BidId));
        Assert.Equal(0, h.Engine.RestingBids);
    }
}
