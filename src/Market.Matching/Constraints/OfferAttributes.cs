using System.Runtime.InteropServices;

namespace Market.Matching.Constraints;

/// <summary>
/// What an offer's machine is, compiled to integers (see <see cref="ConstraintCatalog"/>): one region
/// id (0..63), memory in MiB, one GPU model id (0 = none, 1..63), uptime in basis points, a
/// start-latency class (0 fastest .. 7), and the provider score used as the last tie-break.
/// </summary>
[StructLayout(LayoutKind.Auto)]
public readonly record struct OfferAttributes(
    byte Region, uint MemoryMb, byte GpuModel, ushort UptimeBps, byte StartLatencyClass, int ProviderScore)
{
    public static OfferAttributes None => new(0, 0, 0, 0, 0, 0);
}

/// <summary>
/// What a bid demands, compiled to integers: a region bitmask (bit r = region r allowed; 0 = any),
/// minimum memory, a GPU model bitmask (0 = any), minimum uptime bps, and the slowest start-latency
/// class acceptable. Eligibility is five integer tests, no strings and no allocation.
/// </summary>
[StructLayout(LayoutKind.Auto)]
public readonly record struct BidConstraints(
    ulong RegionMask, uint MinMemoryMb, ulong GpuModelMask, ushort MinUptimeBps, byte MaxStartLatencyClass)
{
    /// <summary>No constraint: every offer is eligible.</summary>
    public static BidConstraints Any => new(0, 0, 0, 0, byte.MaxValue);

    public bool IsAny => RegionMask == 0 && MinMemoryMb == 0 && GpuModelMask == 0 && MinUptimeBps == 0
        && MaxStartLatencyClass == byte.MaxValue;

    public bool Admits(in OfferAttributes o) =>
        (RegionMask == 0 || (RegionMask & (1UL << o.Region)) != 0)
        && o.MemoryMb >= MinMemoryMb
        && (GpuModelMask == 0 || (o.GpuModel != 0 && (GpuModelMask & (1UL << o.GpuModel)) != 0))
        && o.UptimeBps >= MinUptimeBps
        && o.StartLatencyClass <= MaxStartLatencyClass;
}
