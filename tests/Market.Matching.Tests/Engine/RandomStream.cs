using Market.Matching.Constraints;
using Market.Matching.Engine;
using Market.Matching.Model;

namespace Market.Matching.Tests.Engine;

/// <summary>Seeded random command streams over two markets, with constraints, cancels, releases and ticks.</summary>
internal static class RandomStream
{
    /// <summary>Any region, one, two, or five of six (five takes the market tree, fewer the region trees).</summary>
    private static ulong RegionMask(Random r) => r.Next(4) switch
    {
        0 => 0,
        1 => 1UL << r.Next(6),
        2 => (1UL << r.Next(6)) | (1UL << r.Next(6)),
        _ => 0b111111UL & ~(1UL << r.Next(6)),
    };

    public static List<Command> Make(int seed, int count, bool constrained, int prices = 200)
    {
        var r = new Random(seed);
        var list = new List<Command>(count);
        long now = 1_700_000_000, nextBid = 1, nextOffer = 1;
        var matchedOffers = new List<long>();
        for (long seq = 1; seq <= count; seq++)
        {
            if (r.Next(10) == 0) now += r.Next(1, 30);
            int k = r.Next(100);
            if (k < 45)
            {
                ulong m = (ulong)(r.Next(2) == 0 ? r.Next(1, 500) : r.Next(500, 10_000));
                if (r.Next(50) == 0) m = 0; // invalid on purpose
                var c = constrained && r.Next(2) == 0
                    ? new BidConstraints(RegionMask(r), (uint)r.Next(0, 3) * 8_000, r.Next(3) == 0 ? 1UL << r.Next(1, 4) : 0,
                        (ushort)r.Next(0, 10_000), (byte)r.Next(0, 4))
                    : BidConstraints.Any;
                long id = r.Next(40) == 0 ? nextBid - 1 : nextBid++; // occasional duplicate
                list.Add(Command.Bid(seq, now, id, ComputeType.Parallel, Grades.GradeOf(m == 0 ? 1 : m), m, r.Next(1, prices),
                    now + r.Next(0, 300), (uint)r.Next(60, 7_200), c));
            }
            else if (k < 70)
            {
                ulong cap = (ulong)(r.Next(2) == 0 ? r.Next(1, 500) : r.Next(500, 10_000));
                var a = new OfferAttributes((byte)r.Next(6), (uint)r.Next(0, 4) * 8_000, (byte)r.Next(0, 4), (ushort)r.Next(8_000, 10_001),
                    (byte)r.Next(0, 4), r.Next(0, ProviderScore.Max));
                long id = nextOffer++;
                matchedOffers.Add(id);
                list.Add(Command.Offer(seq, now, id, ComputeType.Parallel, Grades.GradeOf(cap), cap, r.Next(1, prices),
                    now + r.Next(1, 2_000), (uint)r.Next(60, 7_200), a));
            }
            else if (k < 80) list.Add(Command.CancelBid(seq, now, r.NextInt64(1, nextBid + 1)));
            else if (k < 85) list.Add(Command.CancelOffer(seq, now, r.NextInt64(1, nextOffer + 1)));
            else if (k < 95 && matchedOffers.Count > 0)
                list.Add(Command.Release(seq, now, matchedOffers[r.Next(matchedOffers.Count)], (ulong)r.Next(1, 3_000)));
            else list.Add(Command.Tick(seq, now));
        }
        return list;
    }
}
