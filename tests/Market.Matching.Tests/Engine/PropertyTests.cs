using Market.Matching.Engine;

namespace Market.Matching.Tests.Engine;

/// <summary>Seeded random streams: invariants hold, the engine agrees with the linear-scan reference, replay is exact.</summary>
public class PropertyTests
{
    public static TheoryData<int, bool> Seeds => new() { { 1, false }, { 2, true }, { 3, false }, { 4, true }, { 5, true }, { 6, false } };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Prices_capacity_and_conservation_hold(int seed, bool constrained)
    {
        var stream = RandomStream.Make(seed, 20_000, constrained);
        var sink = new RecordingSink();
        var engine = new MatchingEngine(new EngineConfig { MaxBids = 30_000, MaxOffers = 10_000 }, sink);
        var bids = new Dictionary<long, (long Price, ulong M)>();
        var offers = new Dictionary<long, (long Price, ulong Cap, ulong Free)>();
        foreach (var c in stream)
        {
            int before = sink.Events.Count;
            engine.Apply(c);
            bool rejected = sink.Events.Count > before && sink.Events[before].Kind == EventKind.Rejected;
            if (c.Kind == CommandKind.PlaceBid && !rejected) bids[c.Id] = (c.Price, c.MilliNcu);
            if (c.Kind == CommandKind.PlaceOffer && !rejected) offers[c.Id] = (c.Price, c.MilliNcu, c.MilliNcu);
            for (int i = before; i < sink.Events.Count; i++)
            {
                var e = sink.Events[i];
                if (e.Kind == EventKind.Matched)
                {
                    var b = bids[e.BidId];
                    var o = offers[e.OfferId];
                    Assert.True(e.Price <= b.Price, "bid paid above its max");
                    Assert.True(e.Price >= o.Price, "offer sold below its price");
                    Assert.Equal(b.M, e.MilliNcu);
                    Assert.True(e.MilliNcu <= o.Free, "offer sold above its capacity");
                    offers[e.OfferId] = (o.Price, o.Cap, o.Free - e.MilliNcu);
                }
                else if (e.Kind == EventKind.Released)
                {
                    var o = offers[e.OfferId];
                    offers[e.OfferId] = (o.Price, o.Cap, o.Free + e.MilliNcu);
                    Assert.True(o.Free + e.MilliNcu <= o.Cap, "released above capacity");
                }
            }
        }
        // Conservation: for every live offer, free = capacity − matched + released, as the engine says.
        foreach (var (id, o) in offers)
        {
            long free = engine.FreeCapacity(id);
            if (free >= 0) Assert.Equal((long)o.Free, free);
        }
        Assert.True(sink.Events.Count >= stream.Count);
    }

    /// <summary>
    /// Few distinct prices: deep price levels on both sides, so offer markets leave price levels
    /// for the offer treap part-way through the stream (OfferLevels' size bound) — matches must not change.
    /// </summary>
    [Theory]
    [InlineData(1, false, 2)]
    [InlineData(2, true, 2)]
    [InlineData(3, false, 4)]
    [InlineData(4, true, 6)]
    [InlineData(5, false, 30)]
    [InlineData(6, true, 1)]
    public void Engine_matches_like_the_reference_with_deep_price_levels(int seed, bool constrained, int prices)
    {
        var stream = RandomStream.Make(seed + 200, 8_000, constrained, prices);
        var sink = new RecordingSink();
        var engine = new MatchingEngine(new EngineConfig { MaxBids = 10_000, MaxOffers = 10_000 }, sink);
        var reference = new ReferenceMatcher();
        int switchedAt = -1;
        for (int i = 0; i < stream.Count; i++)
        {
            engine.Apply(stream[i]);
            reference.Apply(stream[i]);
            if (switchedAt < 0 && Enumerable.Range(0, EngineConfig.MarketCount).Any(engine.UsesOfferTree)) switchedAt = i;
        }
        // Two prices or fewer move a market to the treap part-way through, so both structures and the move are checked.
        if (prices <= 2) Assert.InRange(switchedAt, 1, stream.Count / 2);
        var matched = sink.Of(EventKind.Matched).ConvertAll(e => (e.BidId, e.OfferId, e.Price, e.MilliNcu));
        Assert.True(matched.Count > 100);
        Assert.Equal(reference.Matches, matched);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Engine_matches_exactly_like_the_linear_scan_reference(int seed, bool constrained)
    {
        var stream = RandomStream.Make(seed + 100, 8_000, constrained);
        var sink = new RecordingSink();
        var engine = new MatchingEngine(new EngineConfig { MaxBids = 10_000, MaxOffers = 10_000 }, sink);
        var reference = new ReferenceMatcher();
        foreach (var c in stream)
        {
            engine.Apply(c);
            reference.Apply(c);
        }
        var matched = sink.Of(EventKind.Matched).ConvertAll(e => (e.BidId, e.OfferId, e.Price, e.MilliNcu));
        Assert.True(matched.Count > 100);
        Assert.Equal(reference.Matches, matched);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Replaying_the_journal_gives_identical_events(int seed, bool constrained)
    {
        var stream = RandomStream.Make(seed + 200, 20_000, constrained);
        var first = Run(stream);
        var second = Run(stream);
        Assert.Equal(first.Count, second.Count);
        for (int i = 0; i < first.Count; i++) Assert.Equal(first[i].ToString(), second[i].ToString());
    }

    private static List<MatchingEvent> Run(List<Command> stream)
    {
        var sink = new RecordingSink();
        var engine = new MatchingEngine(new EngineConfig { MaxBids = 30_000, MaxOffers = 10_000 }, sink);
        foreach (var c in stream) engine.Apply(c);
        return sink.Events;
    }
}
