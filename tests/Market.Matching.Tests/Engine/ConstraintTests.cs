using Market.Matching.Constraints;
using Market.Matching.Engine;

namespace Market.Matching.Tests.Engine;

public class ConstraintTests
{
    private static readonly OfferAttributes EuA100 = new(Region: 1, MemoryMb: 80_000, GpuModel: 3, UptimeBps: 9_990, StartLatencyClass: 0, ProviderScore: 5);
    private static readonly OfferAttributes UsCpu = new(Region: 2, MemoryMb: 16_000, GpuModel: 0, UptimeBps: 9_000, StartLatencyClass: 2, ProviderScore: 5);

    [Theory]
    [InlineData(1UL << 1, 0u, 0UL, (ushort)0, (byte)255, true)]
    [InlineData(1UL << 2, 0u, 0UL, (ushort)0, (byte)255, false)]        // region
    [InlineData(0UL, 80_001u, 0UL, (ushort)0, (byte)255, false)]        // memory
    [InlineData(0UL, 80_000u, 0UL, (ushort)0, (byte)255, true)]
    [InlineData(0UL, 0u, 1UL << 4, (ushort)0, (byte)255, false)]        // gpu model
    [InlineData(0UL, 0u, (1UL << 3) | (1UL << 4), (ushort)0, (byte)255, true)]
    [InlineData(0UL, 0u, 0UL, (ushort)9_991, (byte)255, false)]         // uptime
    [InlineData(0UL, 0u, 0UL, (ushort)9_990, (byte)0, true)]            // latency class
    public void Each_filter_is_an_integer_test(ulong region, uint mem, ulong gpu, ushort uptime, byte latency, bool admits) =>
        Assert.Equal(admits, new BidConstraints(region, mem, gpu, uptime, latency).Admits(EuA100));

    [Fact]
    public void Gpu_mask_never_admits_a_machine_without_gpu() =>
        Assert.False(new BidConstraints(0, 0, ~0UL, 0, 255).Admits(UsCpu));

    [Fact]
    public void Latency_class_is_an_upper_bound() =>
        Assert.False(new BidConstraints(0, 0, 0, 0, 1).Admits(UsCpu));

    [Fact]
    public void Constrained_bid_skips_a_cheaper_ineligible_offer()
    {
        var h = new Harness();
        h.Offer(10, 5_000, 10, attributes: UsCpu);
        h.Offer(11, 5_000, 20, attributes: EuA100);
        var ev = h.Bid(1, 800, 100, constraints: new BidConstraints(1UL << 1, 0, 0, 9_900, 255));
        Assert.Equal(11, ev[0].OfferId);
    }

    [Fact]
    public void Offer_serves_only_resting_bids_it_satisfies()
    {
        var h = new Harness();
        h.Bid(1, 800, 100, constraints: new BidConstraints(1UL << 1, 0, 0, 0, 255)); // wants region 1
        h.Bid(2, 800, 90);
        var ev = h.Offer(10, 5_000, 50, attributes: UsCpu);
        Assert.Equal(2, Assert.Single(ev, e => e.Kind == EventKind.Matched).BidId);
    }

    [Fact]
    public void Lease_duration_must_fit_the_offer()
    {
        var h = new Harness();
        h.Offer(10, 5_000, 10, maxDuration: 600);
        Assert.Equal(EventKind.Rested, h.Bid(1, 800, 100, duration: 601)[0].Kind);
        Assert.Equal(EventKind.Matched, h.Bid(2, 800, 100, duration: 600)[0].Kind);
    }

    [Fact]
    public void Catalog_compiles_names_to_ids_and_masks()
    {
        var c = new ConstraintCatalog();
        Assert.Equal(0, c.RegisterRegion("eu-west"));
        Assert.Equal(1, c.RegisterRegion("us-east"));
        Assert.Equal(0, c.RegisterRegion("EU-WEST"));
        Assert.Equal(1, c.RegisterGpuModel("A100"));
        Assert.True(c.TryRegionMask(["us-east", "eu-west"], out var mask));
        Assert.Equal(0b11UL, mask);
        Assert.False(c.TryGpuMask(["H100"], out _));
    }

    [Fact]
    public void Provider_score_ranks_uptime_first_then_start_latency()
    {
        Assert.True(ProviderScore.Compute(9_999, 9_999) > ProviderScore.Compute(9_998, 0));
        Assert.True(ProviderScore.Compute(9_999, 100) > ProviderScore.Compute(9_999, 2_000));
        Assert.Equal(0, ProviderScore.LatencyClass(999));
        Assert.Equal(3, ProviderScore.LatencyClass(30_000));
    }
}
