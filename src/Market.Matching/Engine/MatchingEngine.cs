using System.Runtime.CompilerServices;
using Market.Matching.Constraints;
using Market.Matching.Model;

namespace Market.Matching.Engine;

/// <summary>
/// The matching engine: one bid book and one offer book per (compute type, grade) market, fed by
/// a single writer through <see cref="Apply"/>, reporting through an <see cref="IMatchingEventSink"/>.
/// Deterministic: the output depends only on the command sequence (no clock, no randomness, no hash
/// iteration), so replaying a journal rebuilds the same state and the same events. Every buffer is
/// allocated in the constructor; a command allocates nothing and never throws — bad input becomes
/// a <see cref="EventKind.Rejected"/> event.
/// </summary>
public sealed partial class MatchingEngine
{
    /// <summary>Sequence numbers must stay below 2^43: the offer key packs the provider score above them.</summary>
    public const long MaxSeq = (1L << 43) - 1;

    private readonly EngineConfig _config;
    private readonly IMatchingEventSink _sink;

    private readonly BidSlot[] _bids;
    private readonly OfferSlot[] _offers;
    private readonly SlotPool _bidPool, _offerPool;
    private readonly OrderTree _offerTree;
    private readonly OfferLevels _offerBook;
    private readonly BidLevels _bidBook;
    private readonly IdIndex _bidIds, _offerIds;
    private readonly ExpiryWheel _bidExpiry, _offerExpiry;
    private readonly int[] _offerRoot = new int[EngineConfig.MarketCount];

    private long _lastSeq = -1;
    private long _now = long.MinValue;
    private long _seq;

    public MatchingEngine(EngineConfig config, IMatchingEventSink sink)
    {
        _config = config;
        _sink = sink;
        _bids = new BidSlot[config.MaxBids];
        _offers = new OfferSlot[config.MaxOffers];
        _bidPool = new SlotPool(config.MaxBids);
        _offerPool = new SlotPool(config.MaxOffers);
        _bidBook = new BidLevels(_bids, config.MaxBids, EngineConfig.MarketCount + config.MaxConstraintBuckets);
        _offerTree = new OrderTree(config.MaxOffers);
        _offerBook = new OfferLevels(_offers, config.MaxOffers);
        _bidIds = new IdIndex(config.MaxBids);
        _offerIds = new IdIndex(config.MaxOffers);
        _bidExpiry = new ExpiryWheel(config.MaxBids);
        _offerExpiry = new ExpiryWheel(config.MaxOffers);
        Array.Fill(_offerRoot, OrderTree.Nil);
        InitBatch(config);
        InitBuckets(config);
        InitRegions(config);
    }

    public int RestingBids => _bidPool.Live;
    public int LiveOffers => _offerPool.Live;
    public long LastSeq => _lastSeq;

    /// <summary>Applies one command. The only entry point a host needs; journals replay through it.</summary>
    public void Apply(in Command c)
    {
        if (c.Seq <= _lastSeq || c.Seq > MaxSeq)
        {
            RejectRaw(c, RejectReason.StaleSequence);
            return;
        }
        _lastSeq = _seq = c.Seq;
        // The engine's clock only moves forward; a host stamping a late command cannot rewind expiry.
        if (c.Time > _now) _now = c.Time;
        switch (c.Kind)
        {
            case CommandKind.PlaceBid: PlaceBid(c); break;
            case CommandKind.PlaceOffer: PlaceOffer(c); break;
            case CommandKind.CancelBid: CancelBid(c.Id); break;
            case CommandKind.CancelOffer: CancelOffer(c.Id); break;
            case CommandKind.Tick: ExpireDue(); break;
            case CommandKind.ReleaseCapacity: Release(c.Id, c.MilliNcu); break;
            case CommandKind.ReturnBid: ReturnBid(c); break;
            case CommandKind.RepriceOffer: Reprice(c.Id, c.Price); break;
            case CommandKind.RunAuction: RunAuction(c); break;
            default: RejectRaw(c, RejectReason.UnknownKind); break;
        }
    }

    /// <summary>Free mNCU of a live offer, or −1. For hosts and tests; not used on the hot path.</summary>
    public long FreeCapacity(long offerId) =>
        _offerIds.TryGetValue(offerId, out int s) ? (long)_offers[s].Free : -1;

    public bool HasBid(long bidId) => _bidIds.ContainsKey(bidId);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Emit(EventKind kind, Side side, long bidId, long offerId, long price, ulong m, int market) =>
        _sink.On(new MatchingEvent(kind, side, RejectReason.None, _seq, bidId, offerId, price, m,
            (ComputeType)(market >> 2), (byte)((market & 3) + 1)));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RejectRaw(in Command c, RejectReason reason)
    {
        var side = c.Kind switch
        {
            CommandKind.PlaceBid or CommandKind.CancelBid or CommandKind.ReturnBid => Side.Bid,
            CommandKind.PlaceOffer or CommandKind.CancelOffer or CommandKind.ReleaseCapacity or CommandKind.RepriceOffer => Side.Offer,
            _ => Side.None,
        };
        _sink.On(new MatchingEvent(EventKind.Rejected, side, reason, c.Seq,
            side == Side.Bid ? c.Id : 0, side == Side.Offer ? c.Id : c.OfferId, c.Price, c.MilliNcu, c.Type, c.Grade));
    }

    /// <summary>Common checks of PlaceBid / PlaceOffer; returns the market index or −1 after rejecting.</summary>
    private int ValidateOrder(in Command c, bool isBid)
    {
        int market = EngineConfig.Index(c.Type, c.Grade);
        RejectReason r =
            market < 0 ? RejectReason.UnknownMarket
            : c.MilliNcu == 0 ? RejectReason.ZeroSize
            : c.MilliNcu > Pricing.MaxMilliNcu ? RejectReason.SizeTooLarge
            : Grades.GradeOf(c.MilliNcu) != c.Grade ? RejectReason.GradeMismatch
            : c.Price <= 0 ? RejectReason.ZeroPrice
            : c.Price > Pricing.MaxPricePerNcuHour ? RejectReason.PriceTooHigh
            : c.MaxDurationSec == 0 ? RejectReason.ZeroDuration
            : (isBid ? c.Until < _now : c.Until <= _now) ? RejectReason.ExpiredOnArrival
            : (isBid ? _bidIds.ContainsKey(c.Id) : _offerIds.ContainsKey(c.Id)) ? RejectReason.DuplicateId
            : RejectReason.None;
        if (r == RejectReason.None) return market;
        RejectRaw(c, r);
        return -1;
    }

    private static long OfferK3(in OfferAttributes a, long seq)
    {
        long score = Math.Clamp(a.ProviderScore, 0, ProviderScore.Max);
        // Higher score first, then the earlier command: (Max − score) above 43 bits of sequence.
        return ((ProviderScore.Max - score) << 43) | seq;
    }
}
