using System.Runtime.InteropServices;
using Market.Matching.Constraints;

namespace Market.Matching.Engine;

/// <summary>A resting bid. Slots live in one preallocated array; <see cref="Gen"/> invalidates stale expiry entries.</summary>
[StructLayout(LayoutKind.Auto)]
internal struct BidSlot
{
    public long Id, Seq, Time, MaxPrice, ExpiresAt;
    public ulong MilliNcu;
    public uint MaxDurationSec, Gen;
    public int Market, Bucket;
    public BidConstraints Constraints;
}

/// <summary>A live offer: divisible capacity of which <see cref="Free"/> mNCU are not leased.</summary>
[StructLayout(LayoutKind.Auto)]
internal struct OfferSlot
{
    public long Id, Seq, Time, Price, ExpiresAt;
    public ulong Capacity, Free;
    public uint MaxDurationSec, Gen;
    public int Market;
    public OfferAttributes Attributes;
}

/// <summary>A LIFO free list of slot indices; LIFO keeps recently used (cached) slots hot.</summary>
internal sealed class SlotPool
{
    private readonly int[] _free;
    private int _count;

    public SlotPool(int capacity)
    {
        _free = new int[capacity];
        for (int i = 0; i < capacity; i++) _free[i] = capacity - 1 - i;
        _count = capacity;
    }

    public int Live => _free.Length - _count;

    public bool TryTake(out int slot)
    {
        if (_count == 0) { slot = -1; return false; }
        slot = _free[--_count];
        return true;
    }

    public void Return(int slot) => _free[_count++] = slot;
}
