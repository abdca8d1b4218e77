using System.Runtime.InteropServices;
using Market.Matching.Constraints;
using Market.Matching.Model;

namespace Market.Matching.Engine;

public enum CommandKind : byte
{
    PlaceBid,
    PlaceOffer,
    CancelBid,
    CancelOffer,
    /// <summary>Expire every bid past its deadline and every offer past its expiry.</summary>
    Tick,
    /// <summary>A lease on the offer ended: its mNCU become free again.</summary>
    ReleaseCapacity,
    /// <summary>openLease failed on chain: the offer gets the mNCU back and the bid returns to the book.</summary>
    ReturnBid,
    /// <summary>The provider changed its price (OfferBook.updatePrice); time priority is kept.</summary>
    RepriceOffer,
    /// <summary>Clear one batch market (one epoch of the call auction).</summary>
    RunAuction,
}

/// <summary>
/// One journal entry. A plain struct (one shape for every kind) so a host can keep a preallocated
/// ring of them, replay a journal without allocation, and persist it field by field. Fields a kind
/// does not use are zero. <see cref="Seq"/> must increase strictly; <see cref="Time"/> is unix
/// seconds stamped by the host when it accepted the command (never read from a clock by the engine).
/// </summary>
[StructLayout(LayoutKind.Auto)]
public struct Command
{
    public CommandKind Kind;
    public long Seq;
    public long Time;
    /// <summary>Bid id or offer id (the subject of the command).</summary>
    public long Id;
    /// <summary>For <see cref="CommandKind.ReturnBid"/>: the offer whose capacity is returned.</summary>
    public long OfferId;
    public ComputeType Type;
    public byte Grade;
    /// <summary>Bid size, offer capacity, or released mNCU.</summary>
    public ulong MilliNcu;
    /// <summary>
    /// For <see cref="CommandKind.PlaceOffer"/>: mNCU of the capacity already held by open leases, when
    /// an offer that left the book comes back (its provider active again); they return by
    /// <see cref="CommandKind.ReleaseCapacity"/> as those leases end. Zero for a new offer.
    /// </summary>
    public ulong Reserved;
    /// <summary>Bid max price or offer price, base units per NCU-hour.</summary>
    public long Price;
    /// <summary>Bid deadline (last second it may match, inclusive) or offer expiry (first second it may not).</summary>
    public long Until;
    /// <summary>The bid's maximum duration, or the longest lease the offer accepts.</summary>
    public uint MaxDurationSec;
    public BidConstraints Constraints;
    public OfferAttributes Attributes;

    public static Command Bid(long seq, long time, long id, ComputeType type, byte grade, ulong milliNcu,
        long maxPrice, long deadline, uint maxDurationSec, BidConstraints constraints) => new()
    {
        Kind = CommandKind.PlaceBid, Seq = seq, Time = time, Id = id, Type = type, Grade = grade,
        MilliNcu = milliNcu, Price = maxPrice, Until = deadline, MaxDurationSec = maxDurationSec,
        Constraints = constraints,
    };

    public static Command Offer(long seq, long time, long id, ComputeType type, byte grade, ulong capacity,
        long price, long expiresAt, uint maxDurationSec, OfferAttributes attributes, ulong reserved = 0) => new()
    {
        Kind = CommandKind.PlaceOffer, Seq = seq, Time = time, Id = id, Type = type, Grade = grade,
        MilliNcu = capacity, Price = price, Until = expiresAt, MaxDurationSec = maxDurationSec,
        Attributes = attributes, Constraints = BidConstraints.Any, Reserved = reserved,
    };

    public static Command CancelBid(long seq, long time, long bidId) =>
        new() { Kind = CommandKind.CancelBid, Seq = seq, Time = time, Id = bidId };

    public static Command CancelOffer(long seq, long time, long offerId) =>
        new() { Kind = CommandKind.CancelOffer, Seq = seq, Time = time, Id = offerId };

    public static Command Tick(long seq, long now) => new() { Kind = CommandKind.Tick, Seq = seq, Time = now };

    public static Command Release(long seq, long time, long offerId, ulong milliNcu) =>
        new() { Kind = CommandKind.ReleaseCapacity, Seq = seq, Time = time, Id = offerId, MilliNcu = milliNcu };

    public static Command Reprice(long seq, long time, long offerId, long price) =>
        new() { Kind = CommandKind.RepriceOffer, Seq = seq, Time = time, Id = offerId, Price = price };

    public static Command Auction(long seq, long time, ComputeType type, byte grade) =>
        new() { Kind = CommandKind.RunAuction, Seq = seq, Time = time, Type = type, Grade = grade };

    /// <summary>
    /// A matched bid whose openLease failed: <paramref name="bid"/> is the original PlaceBid (its
    /// <see cref="Time"/> keeps its place in the queue), <paramref name="offerId"/> gets the mNCU back.
    /// </summary>
    public static Command Return(long seq, in Command bid, long offerId)
    {
        var c = bid;
        c.Kind = CommandKind.ReturnBid;
        c.Seq = seq;
        c.OfferId = offerId;
        return c;
    }
}
