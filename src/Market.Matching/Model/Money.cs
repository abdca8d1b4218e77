namespace Market.Matching.Model;

/// <summary>
/// The integer money rules of docs/units-and-money.md, bit-for-bit the same as the contracts.
/// Prices are base units per NCU-hour; one NCU-hour is 3,600,000 mNCU·s. Intermediates are UInt128
/// (the contracts use uint256); a result that would not fit is refused (Try… returns false),
/// never wrapped. Rounding always favours the consumer: charges round down, locks and penalties up.
/// </summary>
public static class Money
{
    public const ulong Denominator = Units.MilliNcuSecondsPerNcuHour;
    public const ushort MaxBps = 10_000;

    /// <summary>charge = floor(usage × price / 3,600,000). Cannot overflow: (2^64−1)² &lt; 2^128.</summary>
    public static UInt128 Charge(ulong usageMilliNcuSeconds, ulong pricePerNcuHour) =>
        (UInt128)usageMilliNcuSeconds * pricePerNcuHour / Denominator;

    /// <summary>lockAmount = ceil(mNCU × maxDurationSec × price / 3,600,000); false when the product exceeds 128 bits.</summary>
    public static bool TryLockAmount(ulong milliNcu, uint maxDurationSec, ulong pricePerNcuHour, out UInt128 amount)
    {
        // m × d < 2^96 always; only the third factor can overflow.
        UInt128 md = (UInt128)milliNcu * maxDurationSec;
        if (!TryMul(md, pricePerNcuHour, out var product)) { amount = 0; return false; }
        amount = CeilDiv(product, Denominator);
        return true;
    }

    /// <summary>penalty = min(ceil(lockAmount × bps / 10,000), remainingStake); false for bps &gt; 10,000 or overflow.</summary>
    public static bool TryPenalty(UInt128 lockAmount, ushort penaltyBps, UInt128 remainingStake, out UInt128 penalty)
    {
        penalty = 0;
        if (penaltyBps > MaxBps) return false;
        if (!TryMul(lockAmount, penaltyBps, out var product)) return false;
        var p = CeilDiv(product, MaxBps);
        penalty = p < remainingStake ? p : remainingStake;
        return true;
    }

    /// <summary>fee = floor(charge × bps / 10,000); the provider gets charge − fee. False for bps &gt; 10,000 or overflow.</summary>
    public static bool TryFee(UInt128 charge, ushort feeBps, out UInt128 fee)
    {
        fee = 0;
        if (feeBps > MaxBps) return false;
        if (!TryMul(charge, feeBps, out var product)) return false;
        fee = product / MaxBps;
        return true;
    }

    /// <summary>The split at settlement: provider share, fee, and the consumer's refund of the lock.</summary>
    public static bool TrySettle(UInt128 lockAmount, ulong usageMilliNcuSeconds, ulong price, ushort feeBps,
        out UInt128 toProvider, out UInt128 fee, out UInt128 refund)
    {
        toProvider = fee = refund = 0;
        var charge = Charge(usageMilliNcuSeconds, price);
        if (charge > lockAmount) return false; // usage above what was locked is never paid
        if (!TryFee(charge, feeBps, out fee)) return false;
        toProvider = charge - fee;
        refund = lockAmount - charge;
        return true;
    }

    private static bool TryMul(UInt128 a, UInt128 b, out UInt128 product)
    {
        if (a != 0 && b > UInt128.MaxValue / a) { product = 0; return false; }
        product = a * b;
        return true;
    }

    // (x + d − 1) / d could overflow near 2^128; quotient plus a remainder test cannot.
    private static UInt128 CeilDiv(UInt128 x, UInt128 d) => x / d + (x % d != 0 ? UInt128.One : UInt128.Zero);
}
