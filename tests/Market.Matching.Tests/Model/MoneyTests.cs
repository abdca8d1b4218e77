using Market.Matching.Model;

namespace Market.Matching.Tests.Model;

public class MoneyTests
{
    [Theory]
    [InlineData(3_600_000UL, 1UL, 1UL)]               // one NCU-hour at 1 unit
    [InlineData(3_599_999UL, 1UL, 0UL)]               // floor: just below one NCU-hour pays nothing
    [InlineData(3_600_000UL, 2_500_000UL, 2_500_000UL)]
    [InlineData(7UL, 1_000_000UL, 1UL)]               // 7e6 / 3.6e6 = 1.94 → 1
    [InlineData(1UL, 3_599_999UL, 0UL)]
    [InlineData(0UL, 123UL, 0UL)]
    public void Charge_rounds_down(ulong usage, ulong price, ulong expected) =>
        Assert.Equal((UInt128)expected, Money.Charge(usage, price));

    [Fact]
    public void Charge_of_the_largest_inputs_does_not_overflow() =>
        Assert.Equal((UInt128)ulong.MaxValue * ulong.MaxValue / 3_600_000, Money.Charge(ulong.MaxValue, ulong.MaxValue));

    [Theory]
    [InlineData(1UL, 1u, 1UL, 1UL)]                    // ceil(1 / 3.6e6) = 1
    [InlineData(1_000UL, 3_600u, 5UL, 5UL)]            // exactly one NCU-hour
    [InlineData(500UL, 60u, 1_000_000UL, 8_334UL)]     // 3e10 / 3.6e6 = 8333.33 → 8334
    [InlineData(0UL, 60u, 1_000_000UL, 0UL)]
    public void Lock_amount_rounds_up(ulong m, uint d, ulong price, ulong expected)
    {
        Assert.True(Money.TryLockAmount(m, d, price, out var a));
        Assert.Equal((UInt128)expected, a);
    }

    [Fact]
    public void Lock_amount_rejects_overflow_instead_of_wrapping()
    {
        Assert.False(Money.TryLockAmount(ulong.MaxValue, uint.MaxValue, ulong.MaxValue, out _));
        Assert.True(Money.TryLockAmount(Pricing.MaxMilliNcu, uint.MaxValue, (ulong)Pricing.MaxPricePerNcuHour, out _));
    }

    [Theory]
    [InlineData(8_334UL, (ushort)500, 1_000_000UL, 417UL)]  // 416.7 → 417
    [InlineData(8_334UL, (ushort)500, 100UL, 100UL)]        // capped at the remaining stake
    [InlineData(10_000UL, (ushort)10_000, 1_000_000UL, 10_000UL)]
    [InlineData(1UL, (ushort)1, 5UL, 1UL)]                  // 0.0001 → 1
    public void Penalty_rounds_up_and_caps_at_stake(ulong lockAmount, ushort bps, ulong stake, ulong expected)
    {
        Assert.True(Money.TryPenalty(lockAmount, bps, stake, out var p));
        Assert.Equal((UInt128)expected, p);
    }

    [Theory]
    [InlineData(8_333UL, (ushort)250, 208UL)]               // 208.325 → 208
    [InlineData(10_000UL, (ushort)10_000, 10_000UL)]
    [InlineData(39UL, (ushort)250, 0UL)]                    // 0.975 → 0
    public void Fee_rounds_down(ulong charge, ushort bps, ulong expected)
    {
        Assert.True(Money.TryFee(charge, bps, out var f));
        Assert.Equal((UInt128)expected, f);
    }

    [Fact]
    public void Basis_points_above_100_percent_are_rejected()
    {
        Assert.False(Money.TryFee(1, 10_001, out _));
        Assert.False(Money.TryPenalty(1, 10_001, 1, out _));
        Assert.False(Money.TryPenalty(UInt128.MaxValue, 2, UInt128.MaxValue, out _));
    }

    [Fact]
    public void Settlement_conserves_the_lock_and_never_pays_above_it()
    {
        var rng = new Random(7);
        for (int i = 0; i < 10_000; i++)
        {
            ulong m = (ulong)rng.NextInt64(1, 2_000_000);
            uint d = (uint)rng.Next(1, 86_400 * 30);
            ulong price = (ulong)rng.NextInt64(1, 1_000_000_000);
            Assert.True(Money.TryLockAmount(m, d, price, out var lockAmount));
            ulong usage = (ulong)rng.NextInt64(0, (long)(m * d) + 1);
            ushort fee = (ushort)rng.Next(0, 10_001);
            Assert.True(Money.TrySettle(lockAmount, usage, price, fee, out var provider, out var f, out var refund));
            Assert.Equal(lockAmount, provider + f + refund);
        }
    }
}
