using Market.Matching.Engine;

namespace Market.Matching.Tests.Engine;

/// <summary>The timing wheel against a brute-force model, and the engine's ticks against the rule they implement.</summary>
public class ExpiryWheelTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Wheel_yields_exactly_the_due_slots_earliest_second_first(int seed)
    {
        const int slots = 64;
        var r = new Random(seed);
        var wheel = new ExpiryWheel(slots);
        var model = new Dictionary<int, long>();   // tracked slot → expiry
        long now = 1_700_000_000;
        for (int step = 0; step < 20_000; step++)
        {
            int k = r.Next(100);
            if (k < 45)
            {
                int s = r.Next(slots);
                if (model.ContainsKey(s)) continue;
                // Mostly near (in the wheel), some beyond its span (the overflow heap).
                long at = now + 1 + (r.Next(5) == 0 ? r.Next(ExpiryWheel.Span, 4 * ExpiryWheel.Span) : r.Next(0, 90));
                wheel.Add(s, at, now);
                model[s] = at;
            }
            else if (k < 70)
            {
                if (model.Count == 0) continue;
                int s = model.Keys.ElementAt(r.Next(model.Count));
                wheel.Remove(s);
                model.Remove(s);
            }
            else if (k < 95) now += r.Next(100) == 0 ? r.Next(1, 5 * ExpiryWheel.Span) : r.Next(0, 3); // occasional long pause
            else
            {
                long lastAt = long.MinValue;
                int s;
                while ((s = wheel.NextDue(now)) >= 0)
                {
                    Assert.True(model.TryGetValue(s, out long at), "yielded an untracked slot");
                    Assert.True(at <= now, "yielded a slot not yet due");
                    Assert.True(at >= lastAt, "out of deadline order");
                    lastAt = at;
                    wheel.Remove(s);
                    model.Remove(s);
                }
                Assert.DoesNotContain(model, kv => kv.Value <= now);
            }
        }
    }

    [Fact]
    public void Orders_due_in_the_same_second_expire_in_the_order_they_were_placed()
    {
        var wheel = new ExpiryWheel(8);
        long now = 1_000;
        foreach (int s in new[] { 5, 2, 7, 0 }) wheel.Add(s, now + 10, now);
        wheel.Add(3, now + 5, now);
        var got = new List<int>();
        int x;
        while ((x = wheel.NextDue(now + 10)) >= 0) { got.Add(x); wheel.Remove(x); }
        Assert.Equal(new[] { 3, 5, 2, 7, 0 }, got);
    }

    [Fact]
    public void Far_future_orders_wait_in_the_overflow_and_still_expire_on_time()
    {
        var wheel = new ExpiryWheel(4);
        long now = 0;
        wheel.Add(0, 10 * ExpiryWheel.Span, now);
        wheel.Add(1, 3, now);
        Assert.Equal(1, wheel.NextDue(3));
        wheel.Remove(1);
        Assert.Equal(-1, wheel.NextDue(10 * ExpiryWheel.Span - 1));
        Assert.Equal(0, wheel.NextDue(10 * ExpiryWheel.Span));
        wheel.Remove(0);
        Assert.Equal(-1, wheel.NextDue(long.MaxValue));
    }

    /// <summary>
    /// What the heap-based engine guaranteed, checked on random streams (offers live up to 2,000 s,
    /// so the overflow path is exercised): a tick expires exactly the live bids past their deadline
    /// and the live offers at or past their expiry, bids first, each side in deadline order.
    /// </summary>
    [Theory]
    [InlineData(11, false)]
    [InlineData(12, true)]
    [InlineData(13, false)]
    public void Ticks_expire_exactly_the_due_orders_in_deadline_order(int seed, bool constrained)
    {
        var stream = RandomStream.Make(seed, 20_000, constrained);
        var sink = new RecordingSink();
        var engine = new MatchingEngine(new EngineConfig { MaxBids = 30_000, MaxOffers = 10_000 }, sink);
        var bids = new Dictionary<long, long>();   // live bid → deadline
        var offers = new Dictionary<long, long>(); // live offer → expiry
        var until = new Dictionary<(Side, long), long>();
        long now = long.MinValue;
        int expiredByTicks = 0;
        foreach (var c in stream)
        {
            now = Math.Max(now, c.Time);
            if (c.Kind == CommandKind.PlaceBid) until[(Side.Bid, c.Id)] = c.Until;
            if (c.Kind == CommandKind.PlaceOffer) until[(Side.Offer, c.Id)] = c.Until;
            var dueBids = bids.Where(kv => kv.Value < now).Select(kv => kv.Key).ToHashSet();
            var dueOffers = offers.Where(kv => kv.Value <= now).Select(kv => kv.Key).ToHashSet();
            int before = sink.Events.Count;
            engine.Apply(c);
            var events = sink.Events.GetRange(before, sink.Events.Count - before);
            if (c.Kind == CommandKind.Tick)
            {
                var expired = events.Where(e => e.Kind == EventKind.Expired).ToList();
                Assert.Equal(events.Count, expired.Count);
                var bidIds = expired.Where(e => e.Side == Side.Bid).Select(e => e.BidId).ToList();
                var offerIds = expired.Where(e => e.Side == Side.Offer).Select(e => e.OfferId).ToList();
                Assert.Equal(dueBids.OrderBy(x => x), bidIds.OrderBy(x => x));
                Assert.Equal(dueOffers.OrderBy(x => x), offerIds.OrderBy(x => x));
                Assert.Equal(bidIds.Select(id => bids[id]).Order(), bidIds.Select(id => bids[id]));
                Assert.Equal(offerIds.Select(id => offers[id]).Order(), offerIds.Select(id => offers[id]));
                Assert.True(expired.TakeWhile(e => e.Side == Side.Bid).Count() == bidIds.Count, "bids expire before offers");
                expiredByTicks += expired.Count;
            }
            foreach (var e in events) Track(e, bids, offers, until);
        }
        Assert.True(expiredByTicks > 100);
    }

    private static void Track(in MatchingEvent e, Dictionary<long, long> bids, Dictionary<long, long> offers, Dictionary<(Side, long), long> until)
    {
        switch (e.Kind)
        {
            case EventKind.Rested when e.Side == Side.Bid: bids[e.BidId] = until[(Side.Bid, e.BidId)]; break;
            case EventKind.Rested when e.Side == Side.Offer: offers[e.OfferId] = until[(Side.Offer, e.OfferId)]; break;
            case EventKind.Matched when e.Side == Side.Offer: bids.Remove(e.BidId); break; // a resting bid was served
            case EventKind.Cancelled or EventKind.Expired when e.Side == Side.Bid: bids.Remove(e.BidId); break;
            case EventKind.Cancelled or EventKind.Expired when e.Side == Side.Offer: offers.Remove(e.OfferId); break;
        }
    }
}
