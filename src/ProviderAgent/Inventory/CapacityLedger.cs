namespace ProviderAgent.Inventory;

/// <summary>
/// The single owner of this machine's reservations (DESIGN §7 Inventory/): leases reserve mNCU
/// and memory out of the measured capacity, and the sum never exceeds it, so the agent can never
/// accept more work than its attested capacity covers. The daemon rebuilds it from the State
/// database's live leases after a restart.
/// </summary>
public sealed class CapacityLedger(ulong totalMilliNcu, ulong totalMemoryBytes)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (ulong MilliNcu, ulong Memory)> _reservations = new(StringComparer.Ordinal);
    private ulong _usedMilliNcu, _usedMemory;

    public ulong TotalMilliNcu => totalMilliNcu;
    public ulong TotalMemoryBytes => totalMemoryBytes;

    public ulong FreeMilliNcu { get { lock (_gate) return totalMilliNcu - _usedMilliNcu; } }
    public ulong FreeMemoryBytes { get { lock (_gate) return totalMemoryBytes - _usedMemory; } }

    /// <summary>Reserves for a lease if both fit; idempotent for a lease already holding the same amounts.</summary>
    public bool TryReserve(string leaseId, ulong milliNcu, ulong memoryBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(leaseId);
        if (milliNcu == 0) throw new ArgumentOutOfRangeException(nameof(milliNcu), "a reservation needs at least 1 mNCU");
        lock (_gate)
        {
            if (_reservations.TryGetValue(leaseId, out var held)) return held == (milliNcu, memoryBytes);
            // Compared as "fits in what is free", never as used + new ≤ total: no overflow possible.
            if (milliNcu > totalMilliNcu - _usedMilliNcu || memoryBytes > totalMemoryBytes - _usedMemory) return false;
            _reservations[leaseId] = (milliNcu, memoryBytes);
            _usedMilliNcu += milliNcu;
            _usedMemory += memoryBytes;
            return true;
        }
    }

    /// <summary>Returns a lease's reservation; false when it held none.</summary>
    public bool Release(string leaseId)
    {
        lock (_gate)
        {
            if (!_reservations.Remove(leaseId, out var held)) return false;
            _usedMilliNcu -= held.MilliNcu;
            _usedMemory -= held.Memory;
            return true;
        }
    }
}
