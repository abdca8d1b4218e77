using ProviderAgent.Config;
using ProviderAgent.Inventory;
using ProviderAgent.Offers;

namespace ProviderAgent.Tests.Offers;

public sealed class OfferPlannerTests
{
    [Fact]
    public void Capacity_is_split_into_slices_each_posted_in_the_grade_its_size_falls_in()
    {
        var config = new AgentConfig { MilliNcu = 25_300 };
        var plan = OfferPlanner.Plan(25_300, 10_000, config);
        Assert.Equal([(10_000UL, Grade.Large), (10_000UL, Grade.Large), (5_300UL, Grade.Medium)], plan.Select(p => (p.CapacityMilli, p.Grade)));
        Assert.Single(OfferPlanner.Plan(120, 0, config), p => p.Grade == Grade.Small && p.CapacityMilli == 120);
        Assert.Empty(OfferPlanner.Plan(0, 0, config));
        Assert.All(plan, p => Assert.Equal(2_000_000, p.PricePerNcuHour)); // fixed by default
    }

    [Fact]
    public void Scale_by_resource_prices_compute_memory_and_disk_of_the_slice_per_NCU_hour()
    {
        // 10 NCU with 16 GiB and 100 GiB: per NCU-hour 1.5 tokens + 1.6 GiB × 0.1 + 10 GiB × 0.001 = 1.67 tokens.
        var config = new AgentConfig
        {
            MilliNcu = 10_000, MemoryMb = 16_384, DiskMb = 102_400,
            Pricing = new PricingConfig { Strategy = PricingStrategy.ScaleByResource, NcuHourRate = 1_500_000, MemoryGbHourRate = 100_000, DiskGbHourRate = 1_000 },
        };
        Assert.Equal(1_670_000, OfferPlanner.Price(10_000, config));
        Assert.Equal(1_670_000, OfferPlanner.Price(2_500, config)); // a quarter slice carries a quarter of the memory and disk
        Assert.Equal(1_500_000, OfferPlanner.Price(1_000, config with { MemoryMb = 0, DiskMb = 0 }));
    }
}
