using System.Diagnostics;
using Market.Matching.Constraints;
using Market.Matching.Engine;
using Market.Matching.Model;

namespace Market.Benchmarks.Matching;

/// <summary>
/// matching.batch_10k_x_1k_ms: one call auction of 10,000 bids against 1,000 offers in a batch
/// market, timed as the RunAuction command (collection, allocation, pricing, events). Half the
/// bids carry constraints. Median of 5 auctions, each on a freshly filled book.
/// </summary>
public static class BatchFigure
{
    public static double Run()
    {
        var times = new double[5];
        for (int run = -1; run < times.Length; run++) // run −1 warms up
        {
            var sink = new CountingSink();
            var config = new EngineConfig(MarketConfig.Batch) { MaxBids = 16_384, MaxOffers = 2_048 };
            var engine = new MatchingEngine(config, sink);
            long seq = 0, now = CommandStreams.T0;
            var r = new Random(3 + run);
            for (int i = 0; i < 1_000; i++)
                engine.Apply(Command.Offer(++seq, now, i + 1, ComputeType.Parallel, Grades.Medium, (ulong)r.Next(2_000, 10_000),
                    r.Next(900, 1_200), now + 3_600, 86_400,
                    new OfferAttributes((byte)r.Next(8), (uint)r.Next(1, 9) * 4_000, (byte)r.Next(0, 4), (ushort)r.Next(9_000, 10_001), 0, r.Next(1_000_000))));
            for (int i = 0; i < 10_000; i++)
                engine.Apply(Command.Bid(++seq, now, i + 1, ComputeType.Parallel, Grades.Medium, (ulong)r.Next(500, 3_000),
                    r.Next(850, 1_250), now + 600, 3_600,
                    i % 2 == 0 ? BidConstraints.Any : new BidConstraints(1UL << r.Next(8) | 1UL << r.Next(8), 8_000, 0, 9_500, 255)));
            long t0 = Stopwatch.GetTimestamp();
            engine.Apply(Command.Auction(++seq, now, ComputeType.Parallel, Grades.Medium));
            double ms = (Stopwatch.GetTimestamp() - t0) * 1e3 / Stopwatch.Frequency;
            if (run < 0) continue;
            times[run] = ms;
            var a = engine.LastAuction;
            if (run == 0)
                Console.Error.WriteLine($"matching: batch 10k x 1k: {a.Trades:N0} trades, {a.TradedMilliNcu:N0} mNCU at {a.ClearingPrice}, " +
                    $"surplus {a.Surplus} of bound {a.UpperBound} ({(double)a.Surplus / (double)a.UpperBound:P1})");
        }
        Array.Sort(times);
        return times[times.Length / 2];
    }
}
