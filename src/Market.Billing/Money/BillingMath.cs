using System.Numerics;
using Market.Chain.Contracts;

namespace Market.Billing.Money;

/// <summary>What one settled lease moves, in token base units (LeaseEscrow's <c>finalize</c>).</summary>
public readonly record struct SettlementAmounts(BigInteger Charge, BigInteger Fee, BigInteger ProviderPaid, BigInteger Refund, BigInteger Penalty);

/// <summary>
/// The money rules of docs/units-and-money.md, mirrored from the contract (not from Market.Matching,
/// which Billing must not reference). Tests pin each one to LeaseEscrow's <c>chargeOf</c> /
/// <c>lockAmountOf</c> views and to finalize's balances on a Hardhat node.
/// </summary>
public static class BillingMath
{
    /// <summary>One NCU-hour = 1,000 mNCU × 3,600 s.</summary>
    public const long MilliNcuSecondsPerNcuHour = 3_600_000;
    public const int BpsDenominator = 10_000;
    private static readonly BigInteger MaxPrice = (BigInteger.One << 96) - 1;
    private static readonly BigInteger UsageLimit = (BigInteger.One << 128) - 1;

    /// <summary><c>floor(usage × price / 3,600,000)</c> — rounding favours the consumer.</summary>
    public static BigInteger Charge(BigInteger usageMilliNcuSec, BigInteger pricePerNcuHour)
    {
        Check(usageMilliNcuSec, UsageLimit, nameof(usageMilliNcuSec));
        Check(pricePerNcuHour, MaxPrice, nameof(pricePerNcuHour));
        return usageMilliNcuSec * pricePerNcuHour / MilliNcuSecondsPerNcuHour;
    }

    /// <summary><c>ceil(mNCU × maxDurationSec × price / 3,600,000)</c> — what openLease locks.</summary>
    public static BigInteger LockAmount(ulong milliNcu, uint maxDurationSec, BigInteger pricePerNcuHour)
    {
        Check(pricePerNcuHour, MaxPrice, nameof(pricePerNcuHour));
        return CeilDiv((BigInteger)milliNcu * maxDurationSec * pricePerNcuHour, MilliNcuSecondsPerNcuHour);
    }

    /// <summary><c>ceil(lock × penaltyBps / 10,000)</c>, before the contract caps it at the provider's stake.</summary>
    public static BigInteger Penalty(BigInteger lockAmount, ushort penaltyBps)
    {
        Check(lockAmount, null, nameof(lockAmount));
        return CeilDiv(lockAmount * penaltyBps, BpsDenominator);
    }

    /// <summary><c>floor(charge × feeBps / 10,000)</c>.</summary>
    public static BigInteger Fee(BigInteger charge, ushort feeBps)
    {
        Check(charge, null, nameof(charge));
        return charge * feeBps / BpsDenominator;
    }

    /// <summary>
    /// Maximum usage the contract accepts at time <paramref name="nowSec"/>:
    /// <c>milliNcu × (min(now, start + maxDuration) − start)</c> (0 before the start).
    /// </summary>
    public static BigInteger MaxUsage(ulong milliNcu, ulong startSec, uint maxDurationSec, ulong nowSec)
    {
        var end = Math.Min(nowSec, startSec + maxDurationSec);
        return end <= startSec ? BigInteger.Zero : (BigInteger)milliNcu * (end - startSec);
    }

    /// <summary>
    /// What finalize moves for one lease. <paramref name="stakeLeft"/> caps a breach penalty at what
    /// the provider still has staked (null: uncapped, as the evaluator reports it).
    /// </summary>
    public static SettlementAmounts Settle(BigInteger lockAmount, BigInteger usage, BigInteger pricePerNcuHour, Verdict verdict,
        ushort penaltyBps, ushort feeBps, BigInteger? stakeLeft = null)
    {
        var charge = Charge(usage, pricePerNcuHour);
        if (charge > lockAmount) throw new ArgumentOutOfRangeException(nameof(usage), "the charge would exceed the lock");
        var fee = Fee(charge, feeBps);
        var penalty = verdict == Verdict.Breached ? Penalty(lockAmount, penaltyBps) : BigInteger.Zero;
        if (stakeLeft is { } s && penalty > s) penalty = BigInteger.Max(s, BigInteger.Zero);
        return new SettlementAmounts(charge, fee, charge - fee, lockAmount - charge, penalty);
    }

    private static BigInteger CeilDiv(BigInteger a, BigInteger b) => (a + b - 1) / b;

    private static void Check(BigInteger v, BigInteger? max, string name)
    {
        if (v.Sign < 0) throw new ArgumentOutOfRangeException(name, "must not be negative");
        if (max is { } m && v > m) throw new ArgumentOutOfRangeException(name, "does not fit its on-chain width");
    }
}
