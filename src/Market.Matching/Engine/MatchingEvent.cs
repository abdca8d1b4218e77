using System.Runtime.InteropServices;
using Market.Matching.Model;

namespace Market.Matching.Engine;

public enum EventKind : byte
{
    Matched,
    Rested,
    Expired,
    Cancelled,
    Rejected,
    /// <summary>Capacity came back to an offer (ReleaseCapacity or ReturnBid).</summary>
    Released,
    Repriced,
    /// <summary>End of one batch auction; <see cref="MatchingEvent.Price"/> is the clearing price (0 when nothing traded).</summary>
    AuctionCleared,
}

public enum Side : byte { None, Bid, Offer }

public enum RejectReason : byte
{
    None,
    StaleSequence,
    UnknownMarket,
    ZeroSize,
    SizeTooLarge,
    GradeMismatch,
    ZeroPrice,
    PriceTooHigh,
    ZeroDuration,
    DuplicateId,
    UnknownOrder,
    ExpiredOnArrival,
    BookFull,
    ReleaseExceedsCapacity,
    NotBatchMarket,
    UnknownKind,
}

/// <summary>
/// One output of the engine, passed to the sink by reference (no allocation). For
/// <see cref="EventKind.Matched"/> both ids, the trade price and the mNCU are set; for the others
/// the id of <see cref="Side"/> is set (and <see cref="Reason"/> for Rejected).
/// </summary>
[StructLayout(LayoutKind.Auto)]
public readonly struct MatchingEvent(EventKind kind, Side side, RejectReason reason, long seq, long bidId,
    long offerId, long price, ulong milliNcu, ComputeType type, byte grade)
{
    public EventKind Kind { get; } = kind;
    public Side Side { get; } = side;
    public RejectReason Reason { get; } = reason;
    /// <summary>The sequence number of the command that caused the event.</summary>
    public long Seq { get; } = seq;
    public long BidId { get; } = bidId;
    public long OfferId { get; } = offerId;
    public long Price { get; } = price;
    public ulong MilliNcu { get; } = milliNcu;
    public ComputeType Type { get; } = type;
    public byte Grade { get; } = grade;

    public override string ToString() =>
        $"{Kind} {Side} seq={Seq} bid={BidId} offer={OfferId} price={Price} m={MilliNcu} {Type}/{Grade} {Reason}";
}

/// <summary>Receives the engine's events, on the engine's (single writer) thread, in order.</summary>
public interface IMatchingEventSink
{
    void On(in MatchingEvent e);
}
