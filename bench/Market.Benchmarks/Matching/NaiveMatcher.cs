using Market.Matching.Engine;

namespace Market.Benchmarks.Matching;

/// <summary>
/// The baseline for matching.vs_naive: the same continuous rules (price-time-score priority,
/// whole bids, divisible offers, trade at the resting price, expiry) written the simple way —
/// unsorted arrays of structs and a linear scan for every decision. No allocation either, so the
/// ratio measures the data structures, not the garbage collector. Constraints are ignored (the
/// ratio is taken on the unconstrained stream).
/// </summary>
public sealed class NaiveMatcher(int maxBids, int maxOffers)
{
    private struct Bid { public long Id, Seq, Time, Price, Deadline; public ulong M; }
    private struct Offer { public long Id, Seq, Time, Price, Expires; public ulong Cap, Free; public int Score; }

    private readonly Bid[] _bids = new Bid[maxBids];
    private readonly Offer[] _offers = new Offer[maxOffers];
    private int _nb, _no;
    private long _now;
    public long Matched;

    public void Apply(in Command c)
    {
        if (c.Time > _now) _now = c.Time;
        switch (c.Kind)
        {
            case CommandKind.PlaceBid: PlaceBid(c); break;
            case CommandKind.PlaceOffer: PlaceOffer(c); break;
            case CommandKind.CancelBid: { int i = FindBid(c.Id); if (i >= 0) _bids[i] = _bids[--_nb]; break; }
            case CommandKind.CancelOffer: { int i = FindOffer(c.Id); if (i >= 0) _offers[i] = _offers[--_no]; break; }
            case CommandKind.ReleaseCapacity:
                {
                    int i = FindOffer(c.Id);
                    if (i < 0 || c.MilliNcu > _offers[i].Cap - _offers[i].Free) break;
                    _offers[i].Free += c.MilliNcu;
                    Serve(i);
                    break;
                }
            case CommandKind.Tick:
                for (int i = _nb - 1; i >= 0; i--) if (_bids[i].Deadline < _now) _bids[i] = _bids[--_nb];
                for (int i = _no - 1; i >= 0; i--) if (_offers[i].Expires <= _now) _offers[i] = _offers[--_no];
                break;
        }
    }

    private int FindBid(long id) { for (int i = 0; i < _nb; i++) if (_bids[i].Id == id) return i; return -1; }
    private int FindOffer(long id) { for (int i = 0; i < _no; i++) if (_offers[i].Id == id) return i; return -1; }

    private void PlaceBid(in Command c)
    {
        if (c.MilliNcu == 0 || c.Until < _now || FindBid(c.Id) >= 0 || _nb == _bids.Length) return;
        int best = -1;
        for (int i = 0; i < _no; i++)
        {
            ref var o = ref _offers[i];
            if (o.Expires <= _now || o.Free < c.MilliNcu || o.Price > c.Price) continue;
            if (best < 0 || OfferBefore(o, _offers[best])) best = i;
        }
        if (best >= 0) { _offers[best].Free -= c.MilliNcu; Matched++; return; }
        _bids[_nb++] = new Bid { Id = c.Id, Seq = c.Seq, Time = c.Time, Price = c.Price, Deadline = c.Until, M = c.MilliNcu };
    }

    private void PlaceOffer(in Command c)
    {
        if (c.MilliNcu == 0 || c.Until <= _now || FindOffer(c.Id) >= 0 || _no == _offers.Length) return;
        _offers[_no] = new Offer { Id = c.Id, Seq = c.Seq, Time = c.Time, Price = c.Price, Expires = c.Until, Cap = c.MilliNcu, Free = c.MilliNcu, Score = c.Attributes.ProviderScore };
        Serve(_no++);
    }

    private void Serve(int oi)
    {
        ref var o = ref _offers[oi];
        while (true)
        {
            int best = -1;
            for (int i = 0; i < _nb; i++)
            {
                ref var b = ref _bids[i];
                if (b.Deadline < _now || b.M > o.Free || b.Price < o.Price) continue;
                if (best < 0 || BidBefore(b, _bids[best])) best = i;
            }
            if (best < 0) return;
            o.Free -= _bids[best].M;
            Matched++;
            _bids[best] = _bids[--_nb];
        }
    }

    private static bool OfferBefore(in Offer a, in Offer b) =>
        a.Price != b.Price ? a.Price < b.Price : a.Time != b.Time ? a.Time < b.Time : a.Score != b.Score ? a.Score > b.Score : a.Seq < b.Seq;

    private static bool BidBefore(in Bid a, in Bid b) =>
        a.Price != b.Price ? a.Price > b.Price : a.Time != b.Time ? a.Time < b.Time : a.Seq < b.Seq;
}
