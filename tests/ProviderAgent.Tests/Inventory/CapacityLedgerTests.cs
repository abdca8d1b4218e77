using ProviderAgent.Inventory;

namespace ProviderAgent.Tests.Inventory;

public sealed class CapacityLedgerTests
{
    [Fact]
    public void Reservations_never_exceed_capacity_and_release_returns_it()
    {
        var ledger = new CapacityLedger(100, 1000);
        Assert.True(ledger.TryReserve("a", 60, 500));
        Assert.False(ledger.TryReserve("b", 41, 100)); // mNCU does not fit
        Assert.False(ledger.TryReserve("b", 40, 501)); // memory does not fit
        Assert.True(ledger.TryReserve("b", 40, 500));
        Assert.Equal(0UL, ledger.FreeMilliNcu);
        Assert.True(ledger.TryReserve("a", 60, 500)); // same lease, same amounts: idempotent
        Assert.False(ledger.TryReserve("a", 10, 10)); // same lease, different amounts: refused
        Assert.True(ledger.Release("a"));
        Assert.False(ledger.Release("a"));
        Assert.Equal(60UL, ledger.FreeMilliNcu);
        Assert.Equal(500UL, ledger.FreeMemoryBytes);
    }

    [Fact]
    public void Concurrent_reservations_stay_within_capacity()
    {
        var ledger = new CapacityLedger(1000, ulong.MaxValue);
        int granted = 0;
        Parallel.For(0, 5000, i => { if (ledger.TryReserve($"l{i}", 3, 1)) Interlocked.Increment(ref granted); });
        Assert.Equal(333, granted);
        Assert.Equal(1UL, ledger.FreeMilliNcu);
    }
}
