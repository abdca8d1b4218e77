namespace Market.Matching.Batch;

// Uniform pricing of the chosen allocation (k-double auction, optional trade reduction).
public sealed partial class BatchSolver
{
    private BatchResult Price(Span<int> assignment, Int128 bound, bool exact, int kPermille, bool tradeReduction)
    {
        int marginal = -1;
        long maxAsk = long.MinValue;
        for (int b = 0; b < _bids; b++)
        {
            int o = assignment[b];
            if (o < 0) continue;
            marginal = b; // bids are in priority order: the last traded one is the lowest
            if (_offerPrice[o] > maxAsk) maxAsk = _offerPrice[o];
        }
        if (marginal < 0) return new BatchResult(0, 0, 0, 0, bound, exact);
        long price;
        if (tradeReduction)
        {
            price = _bidPrice[marginal];
            _bestFree[assignment[marginal]] += _bidSize[marginal];
            assignment[marginal] = -1;
        }
        else
        {
            long spread = _bidPrice[marginal] - maxAsk; // ≥ 0 by construction
            price = maxAsk + (long)((Int128)spread * Math.Clamp(kPermille, 0, 1000) / 1000);
        }
        int trades = 0;
        ulong traded = 0;
        Int128 surplus = 0;
        for (int b = 0; b < _bids; b++)
        {
            int o = assignment[b];
            if (o < 0) continue;
            trades++;
            traded += _bidSize[b];
            surplus += PairSurplus(b, o);
        }
        return new BatchResult(trades, traded, trades == 0 ? 0 : price, surplus, bound, exact);
    }
}
