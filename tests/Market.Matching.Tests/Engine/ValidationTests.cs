using Market.Matching.Constraints;
using Market.Matching.Engine;
using Market.Matching.Model;

namespace Market.Matching.Tests.Engine;

public class ValidationTests
{
    private static RejectReason Reason(List<MatchingEvent> ev)
    {
        var e = Assert.Single(ev);
        Assert.Equal(EventKind.Rejected, e.Kind);
        return e.Reason;
    }

    [Fact]
    public void Zero_size_is_rejected() => Assert.Equal(RejectReason.ZeroSize, Reason(new Harness().Bid(1, 0, 10, grade: 4)));

    [Fact]
    public void Grade_must_match_the_size()
    {
        var h = new Harness();
        Assert.Equal(RejectReason.GradeMismatch, Reason(h.Bid(1, 500, 10, grade: 4)));
        Assert.Equal(RejectReason.GradeMismatch, Reason(h.Offer(2, 10_000, 10, grade: 3)));
    }

    [Fact]
    public void Unknown_market_is_rejected()
    {
        var h = new Harness();
        Assert.Equal(RejectReason.UnknownMarket, Reason(h.Bid(1, 5, 10, type: (ComputeType)3)));
        Assert.Equal(RejectReason.UnknownMarket, Reason(h.Bid(1, 5, 10, grade: 0)));
        Assert.Equal(RejectReason.UnknownMarket, Reason(h.Bid(1, 5, 10, grade: 5)));
    }

    [Fact]
    public void Prices_must_be_positive_and_at_most_the_maximum()
    {
        var h = new Harness();
        Assert.Equal(RejectReason.ZeroPrice, Reason(h.Bid(1, 5, 0)));
        Assert.Equal(RejectReason.ZeroPrice, Reason(h.Offer(2, 5, -1)));
        Assert.Equal(RejectReason.PriceTooHigh, Reason(h.Bid(3, 5, Pricing.MaxPricePerNcuHour + 1)));
        Assert.Equal(EventKind.Rested, Assert.Single(h.Bid(4, 5, Pricing.MaxPricePerNcuHour)).Kind);
        h.Offer(5, 5, 1);
        Assert.Equal(RejectReason.PriceTooHigh, Reason(h.Reprice(5, Pricing.MaxPricePerNcuHour + 1)));
    }

    [Fact]
    public void Oversized_orders_are_rejected() =>
        Assert.Equal(RejectReason.SizeTooLarge, Reason(new Harness().Bid(1, Pricing.MaxMilliNcu + 1, 10)));

    [Fact]
    public void Zero_duration_is_rejected() =>
        Assert.Equal(RejectReason.ZeroDuration, Reason(new Harness().Bid(1, 5, 10, duration: 0)));

    [Fact]
    public void Duplicate_live_ids_are_rejected_per_side()
    {
        var h = new Harness();
        h.Bid(1, 5, 10);
        Assert.Equal(RejectReason.DuplicateId, Reason(h.Bid(1, 6, 10)));
        h.Offer(1, 5_000, 50); // offer ids are a separate space
        Assert.Equal(RejectReason.DuplicateId, Reason(h.Offer(1, 5_000, 50)));
    }

    [Fact]
    public void Unknown_cancels_are_rejected()
    {
        var h = new Harness();
        Assert.Equal(RejectReason.UnknownOrder, Reason(h.CancelBid(7)));
        Assert.Equal(RejectReason.UnknownOrder, Reason(h.CancelOffer(7)));
        Assert.Equal(RejectReason.UnknownOrder, Reason(h.Reprice(7, 5)));
    }

    [Fact]
    public void Expired_on_arrival_is_rejected()
    {
        var h = new Harness();
        Assert.Equal(RejectReason.ExpiredOnArrival, Reason(h.Bid(1, 5, 10, deadline: h.Now - 1)));
        Assert.Equal(EventKind.Rested, h.Bid(2, 5, 10, deadline: h.Now)[0].Kind); // deadline is inclusive
        Assert.Equal(RejectReason.ExpiredOnArrival, Reason(h.Offer(3, 5, 10, expiresAt: h.Now)));
    }

    [Fact]
    public void Stale_or_repeated_sequence_numbers_are_rejected()
    {
        var h = new Harness();
        h.Engine.Apply(Command.Tick(10, h.Now));
        h.Apply(Command.Tick(10, h.Now));
        Assert.Equal(RejectReason.StaleSequence, h.Sink.Last.Reason);
        h.Apply(Command.Tick(9, h.Now));
        Assert.Equal(RejectReason.StaleSequence, h.Sink.Last.Reason);
        h.Apply(Command.Tick(MatchingEngine.MaxSeq + 1, h.Now));
        Assert.Equal(RejectReason.StaleSequence, h.Sink.Last.Reason);
    }

    [Fact]
    public void Full_books_reject_instead_of_growing()
    {
        var h = new Harness(new EngineConfig { MaxBids = 2, MaxOffers = 1 });
        h.Bid(1, 5, 10);
        h.Bid(2, 5, 10);
        Assert.Equal(RejectReason.BookFull, Reason(h.Bid(3, 5, 10)));
        h.Offer(1, 9_000, 50, grade: 3);
        Assert.Equal(RejectReason.BookFull, Reason(h.Offer(2, 9_000, 50)));
    }

    [Fact]
    public void Auction_on_a_continuous_market_is_rejected() =>
        Assert.Equal(RejectReason.NotBatchMarket, Reason(new Harness().Auction(3)));

    [Fact]
    public void Unknown_command_kind_is_rejected_not_thrown()
    {
        var h = new Harness();
        var c = Command.Tick(1, h.Now);
        c.Kind = (CommandKind)200;
        Assert.Equal(RejectReason.UnknownKind, Reason(h.Apply(c)));
    }
}
