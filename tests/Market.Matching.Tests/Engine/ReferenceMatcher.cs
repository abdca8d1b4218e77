using Market.Matching.Constraints;
using Market.Matching.Engine;
using Market.Matching.Model;

namespace Market.Matching.Tests.Engine;

/// <summary>
/// The continuous rules written the obvious way — lists and linear scans — to check the engine's
/// trees against. Produces the (bid, offer, price, mNCU) of every match in order.
/// </summary>
internal sealed class ReferenceMatcher
{
    private sealed record Bid(long Id, long Seq, long Time, int Market, ulong M, long Price, long Deadline, uint Dur, BidConstraints C);
    private sealed class Offer(long id, long seq, long time, int market, ulong cap, long price, long exp, uint dur, OfferAttributes a)
    {
        public long Id = id, Seq = seq, Time = time, Price = price, Exp = exp;
        public int Market = market;
        public ulong Cap = cap, Free = cap;
        public uint Dur = dur;
        public OfferAttributes A = a;
    }

    private readonly List<Bid> _bids = new();
    private readonly List<Offer> _offers = new();
    private long _now = long.MinValue;
    public List<(long Bid, long Offer, long Price, ulong M)> Matches { get; } = new();

    public void Apply(Command c)
    {
        if (c.Time > _now) _now = c.Time;
        switch (c.Kind)
        {
            case CommandKind.PlaceBid: PlaceBid(c); break;
            case CommandKind.PlaceOffer: PlaceOffer(c); break;
            case CommandKind.CancelBid: _bids.RemoveAll(b => b.Id == c.Id); break;
            case CommandKind.CancelOffer: _offers.RemoveAll(o => o.Id == c.Id); break;
            case CommandKind.Tick:
                _bids.RemoveAll(b => b.Deadline < _now);
                _offers.RemoveAll(o => o.Exp <= _now);
                break;
            case CommandKind.ReleaseCapacity:
                var off = _offers.Find(o => o.Id == c.Id);
                if (off is null || c.MilliNcu == 0 || c.MilliNcu > off.Cap - off.Free) return;
                off.Free += c.MilliNcu;
                Serve(off);
                break;
        }
    }

    private bool Valid(in Command c, bool bid) =>
        EngineConfig.Index(c.Type, c.Grade) >= 0 && c.MilliNcu > 0 && c.MilliNcu <= Pricing.MaxMilliNcu
        && Grades.GradeOf(c.MilliNcu) == c.Grade && c.Price > 0 && c.Price <= Pricing.MaxPricePerNcuHour
        && c.MaxDurationSec > 0 && (bid ? c.Until >= _now : c.Until > _now);

    private void PlaceBid(in Command c)
    {
        long id = c.Id;
        if (!Valid(c, true) || _bids.Exists(b => b.Id == id)) return;
        int market = EngineConfig.Index(c.Type, c.Grade);
        Offer? best = null;
        foreach (var o in _offers)
        {
            if (o.Market != market || o.Exp <= _now || o.Free < c.MilliNcu || o.Price > c.Price || o.Dur < c.MaxDurationSec) continue;
            if (!c.Constraints.Admits(o.A)) continue;
            if (best is null || OfferBefore(o, best)) best = o;
        }
        if (best is not null)
        {
            best.Free -= c.MilliNcu;
            Matches.Add((c.Id, best.Id, best.Price, c.MilliNcu));
            return;
        }
        _bids.Add(new Bid(c.Id, c.Seq, c.Time, market, c.MilliNcu, c.Price, c.Until, c.MaxDurationSec, c.Constraints));
    }

    private void PlaceOffer(in Command c)
    {
        long id = c.Id;
        if (!Valid(c, false) || _offers.Exists(o => o.Id == id)) return;
        var off = new Offer(c.Id, c.Seq, c.Time, EngineConfig.Index(c.Type, c.Grade), c.MilliNcu, c.Price, c.Until, c.MaxDurationSec, c.Attributes);
        _offers.Add(off);
        Serve(off);
    }

    private void Serve(Offer off)
    {
        while (true)
        {
            Bid? best = null;
            foreach (var b in _bids)
            {
                if (b.Market != off.Market || b.Deadline < _now || b.M > off.Free || b.Price < off.Price || b.Dur > off.Dur) continue;
                if (!b.C.Admits(off.A)) continue;
                if (best is null || BidBefore(b, best)) best = b;
            }
            if (best is null) return;
            off.Free -= best.M;
            Matches.Add((best.Id, off.Id, best.Price, best.M));
            _bids.Remove(best);
        }
    }

    private static bool OfferBefore(Offer a, Offer b) =>
        a.Price != b.Price ? a.Price < b.Price
        : a.Time != b.Time ? a.Time < b.Time
        : a.A.ProviderScore != b.A.ProviderScore ? a.A.ProviderScore > b.A.ProviderScore
        : a.Seq < b.Seq;

    private static bool BidBefore(Bid a, Bid b) =>
        a.Price != b.Price ? a.Price > b.Price : a.Time != b.Time ? a.Time < b.Time : a.Seq < b.Seq;
}
