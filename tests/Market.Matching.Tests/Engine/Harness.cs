using Market.Matching.Constraints;
using Market.Matching.Engine;
using Market.Matching.Model;

namespace Market.Matching.Tests.Engine;

/// <summary>An engine with a recording sink and a sequence counter; orders default to the Parallel / medium market.</summary>
internal sealed class Harness
{
    public const long T0 = 1_700_000_000;
    public RecordingSink Sink { get; } = new();
    public MatchingEngine Engine { get; }
    public List<Command> Journal { get; } = new();
    public long Seq { get; private set; }
    public long Now { get; set; } = T0;

    public long NextSeq() => ++Seq;

    public Harness(EngineConfig? config = null) =>
        Engine = new MatchingEngine(config ?? new EngineConfig { MaxBids = 1024, MaxOffers = 256 }, Sink);

    public List<MatchingEvent> Apply(Command c)
    {
        int before = Sink.Events.Count;
        Journal.Add(c);
        Engine.Apply(c);
        return Sink.Events.GetRange(before, Sink.Events.Count - before);
    }

    public List<MatchingEvent> Bid(long id, ulong m, long maxPrice, long? deadline = null, BidConstraints? constraints = null,
        uint duration = 3_600, ComputeType type = ComputeType.Parallel, byte? grade = null) =>
        Apply(Command.Bid(++Seq, Now, id, type, grade ?? Grades.GradeOf(m), m, maxPrice, deadline ?? Now + 600, duration,
            constraints ?? BidConstraints.Any));

    public List<MatchingEvent> Offer(long id, ulong capacity, long price, long? expiresAt = null, OfferAttributes? attributes = null,
        uint maxDuration = 86_400, ComputeType type = ComputeType.Parallel, byte? grade = null, ulong reserved = 0) =>
        Apply(Command.Offer(++Seq, Now, id, type, grade ?? Grades.GradeOf(capacity), capacity, price, expiresAt ?? Now + 86_400,
            maxDuration, attributes ?? OfferAttributes.None, reserved));

    public List<MatchingEvent> CancelBid(long id) => Apply(Command.CancelBid(++Seq, Now, id));
    public List<MatchingEvent> CancelOffer(long id) => Apply(Command.CancelOffer(++Seq, Now, id));
    public List<MatchingEvent> Tick() => Apply(Command.Tick(++Seq, Now));
    public List<MatchingEvent> Release(long offerId, ulong m) => Apply(Command.Release(++Seq, Now, offerId, m));
    public List<MatchingEvent> Reprice(long offerId, long price) => Apply(Command.Reprice(++Seq, Now, offerId, price));
    public List<MatchingEvent> Auction(byte grade, ComputeType type = ComputeType.Parallel) =>
        Apply(Command.Auction(++Seq, Now, type, grade));
}
