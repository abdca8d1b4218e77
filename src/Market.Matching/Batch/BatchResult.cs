namespace Market.Matching.Batch;

/// <summary>Which (bid, offer) pairs may trade, beyond price and capacity. A struct so the solver is specialised per filter.</summary>
public interface IPairFilter
{
    bool Admits(int bid, int offer);
}

/// <summary>Every pair is admissible (no constraints).</summary>
public struct AllPairs : IPairFilter
{
    public readonly bool Admits(int bid, int offer) => true;
}

/// <summary>
/// The outcome of one call auction. <see cref="Surplus"/> is Σ (maxPrice − offerPrice) × mNCU of the
/// traded pairs before pricing; <see cref="UpperBound"/> is the surplus of the fractional,
/// unconstrained relaxation, so Surplus / UpperBound certifies how close a greedy answer is.
/// </summary>
public readonly record struct BatchResult(int Trades, ulong TradedMilliNcu, long ClearingPrice, Int128 Surplus,
    Int128 UpperBound, bool Exact);
