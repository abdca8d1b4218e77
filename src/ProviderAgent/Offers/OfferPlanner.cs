using ProviderAgent.Config;
using ProviderAgent.Inventory;

namespace ProviderAgent.Offers;

/// <summary>One offer to post: a slice of capacity, the grade it falls in, and its price per NCU-hour.</summary>
public sealed record PlannedOffer(ulong CapacityMilli, Grade Grade, long PricePerNcuHour);

/// <summary>
/// Splits free capacity into offers and prices them (DESIGN §7 Offers/). Each slice is posted in
/// the grade its size falls in (the chain insists: grade = gradeOf(capacity)); capacity above
/// <c>maxSlice</c> becomes several offers, so a big machine can sell large slices and the rest in
/// a smaller grade. Pricing: fixed per NCU-hour, or Akash-style scale-by-resource, where a slice
/// costs compute + memory + disk rates × the amounts it carries (memory and disk in proportion to
/// its share of the machine), quoted per NCU-hour and rounded up.
/// </summary>
public static class OfferPlanner
{
    public static IReadOnlyList<PlannedOffer> Plan(ulong freeMilli, ulong maxSlice, AgentConfig config)
    {
        var offers = new List<PlannedOffer>();
        if (freeMilli == 0) return offers;
        ulong slice = maxSlice == 0 ? freeMilli : maxSlice;
        for (ulong left = freeMilli; left > 0;)
        {
            ulong take = Math.Min(slice, left);
            offers.Add(new PlannedOffer(take, ComputeUnits.GradeOf(take), Price(take, config)));
            left -= take;
        }
        return offers;
    }

    public static long Price(ulong sliceMilli, AgentConfig config)
    {
        var p = config.Pricing;
        if (p.Strategy == PricingStrategy.Fixed) return p.PricePerNcuHour;
        if (sliceMilli == 0) throw new ArgumentOutOfRangeException(nameof(sliceMilli));
        ulong total = Math.Max(config.MilliNcu, sliceMilli);
        // Resources the slice carries, in MiB, proportional to its share of the machine's capacity.
        UInt128 memMb = (UInt128)config.MemoryMb * sliceMilli / total, diskMb = (UInt128)config.DiskMb * sliceMilli / total;
        // Per hour: NcuHourRate × slice/1000 + MemoryGbHourRate × memMb/1024 + DiskGbHourRate × diskMb/1024;
        // per NCU-hour: that × 1000 / slice, rounded up (in base units).
        UInt128 numerator = (UInt128)p.NcuHourRate * sliceMilli * 1024 + (UInt128)p.MemoryGbHourRate * memMb * 1000 + (UInt128)p.DiskGbHourRate * diskMb * 1000;
        UInt128 denominator = (UInt128)sliceMilli * 1024;
        return (long)((numerator + denominator - 1) / denominator);
    }
}
