using System.Numerics;
using Market.Billing.Money;
using Market.Chain.Contracts;

namespace Market.Billing.Tests;

/// <summary>The money rules of docs/units-and-money.md (the chain pins them again in BillingChainTests).</summary>
public sealed class BillingMathTests
{
    [Theory]
    [InlineData(3_600_000, 1_000_000, 1_000_000)]
    [InlineData(3_599_999, 1, 0)]           // rounds down: favours the consumer
    [InlineData(7_199_999, 1, 1)]
    [InlineData(0, 5_000_000, 0)]
    public void Charge_is_floored(long usage, long price, long expected) => Assert.Equal(expected, (long)BillingMath.Charge(usage, price));

    [Theory]
    [InlineData(2_000UL, 3_600U, 1_500_000, 3_000_000)]
    [InlineData(1UL, 1U, 1, 1)]            // ceil of 1 / 3,600,000
    [InlineData(800UL, 600U, 2_000_000, 266_667)]
    public void Lock_is_ceiled(ulong m, uint d, long price, long expected) => Assert.Equal(expected, (long)BillingMath.LockAmount(m, d, price));

    [Theory]
    [InlineData(1_600_000, 500, 80_000)]
    [InlineData(1, 1, 1)]                   // ceil
    [InlineData(266_667, 500, 13_334)]
    [InlineData(1_000, 0, 0)]
    public void Penalty_is_ceiled(long lockAmount, ushort bps, long expected) => Assert.Equal(expected, (long)BillingMath.Penalty(lockAmount, bps));

    [Fact]
    public void Settle_splits_the_lock_exactly()
    {
        var lockAmount = BillingMath.LockAmount(800, 600, 2_000_000);
        var a = BillingMath.Settle(lockAmount, 800 * 300, 2_000_000, Verdict.Breached, 500, 100);
        Assert.Equal(133_333, (long)a.Charge);
        Assert.Equal(1_333, (long)a.Fee);
        Assert.Equal(a.Charge - a.Fee, a.ProviderPaid);
        Assert.Equal(lockAmount, a.Charge + a.Refund);
        Assert.Equal(13_334, (long)a.Penalty);
        Assert.Equal(5, (long)BillingMath.Settle(lockAmount, 0, 2_000_000, Verdict.Breached, 500, 0, stakeLeft: 5).Penalty);
        Assert.Equal(BigInteger.Zero, BillingMath.Settle(lockAmount, 0, 2_000_000, Verdict.ConsumerFault, 500, 0).Penalty);
    }

    [Fact]
    public void Inputs_outside_their_widths_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BillingMath.Charge(-1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => BillingMath.Charge(1, BigInteger.One << 96));
        Assert.Throws<ArgumentOutOfRangeException>(() => BillingMath.Charge(BigInteger.One << 128, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => BillingMath.Settle(10, 3_600_000 * 11L, 1, Verdict.Met, 0, 0));
    }

    [Theory]
    [InlineData(100UL, 1_000UL, 600U, 999UL, 0)]
    [InlineData(100UL, 1_000UL, 600U, 1_060UL, 6_000)]
    [InlineData(100UL, 1_000UL, 600U, 9_999UL, 60_000)]
    public void Max_usage_follows_the_contract(ulong m, ulong start, uint dur, ulong now, long expected) =>
        Assert.Equal(expected, (long)BillingMath.MaxUsage(m, start, dur, now));
}
