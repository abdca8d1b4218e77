namespace Market.Matching.Model;

/// <summary>Prices are base units per NCU-hour; helpers for hosts that quote in other units.</summary>
public static class Pricing
{
    /// <summary>
    /// The highest price the engine accepts. With mNCU ≤ <see cref="MaxMilliNcu"/> and durations
    /// ≤ 2^32 − 1 s, mNCU × duration × price ≤ 10^12 × 4.3·10^9 × 10^12 ≈ 4.3·10^33 &lt; 2^128, so
    /// <see cref="Money.TryLockAmount"/> can never overflow for an order the engine accepted.
    /// 10^12 base units is a million tokens of a 6-decimal coin per NCU-hour: far above any real price.
    /// </summary>
    public const long MaxPricePerNcuHour = 1_000_000_000_000;

    /// <summary>The largest order the engine accepts: 10^12 mNCU = 10^9 NCU (a zettaFLOPS).</summary>
    public const ulong MaxMilliNcu = 1_000_000_000_000;

}
