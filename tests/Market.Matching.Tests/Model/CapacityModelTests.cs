using Market.Matching.Model;

namespace Market.Matching.Tests.Model;

public class CapacityModelTests
{
    private static readonly ChipMeasurement[] Chips =
    [
        new(ComputeType.Logical, 1.0e12),
        new(ComputeType.Parallel, 10e12),
        new(ComputeType.Neural, 100e12),
        new(ComputeType.Neural, 20e12),
    ];

    [Fact]
    public void Without_history_capacity_is_the_coefficient_weighted_sum()
    {
        var m = new CapacityModel();
        Assert.Equal(1_000UL, m.CapacityMilliNcu(Chips, ComputeType.Logical, null));
        Assert.Equal(10_000UL, m.CapacityMilliNcu(Chips, ComputeType.Parallel, null));
        Assert.Equal(30_000UL, m.CapacityMilliNcu(Chips, ComputeType.Neural, null)); // γ = 0.25 of 120 TFLOPS
    }

    [Fact]
    public void Coefficients_are_configurable()
    {
        var m = new CapacityModel(new TypeCoefficients(2, 1, 0.5));
        Assert.Equal(2_000UL, m.CapacityMilliNcu(Chips, ComputeType.Logical, null));
        Assert.Equal(60_000UL, m.CapacityMilliNcu(Chips, ComputeType.Neural, null));
    }

    [Fact]
    public void Redundant_term_brings_capacity_to_the_observed_peak_estimate()
    {
        var m = new CapacityModel();
        var h = new PeakHistory(window: 10, percentile: 90);
        for (int i = 1; i <= 10; i++) h.Observe(i * 1e12); // 1..10 TFLOPS observed
        double nominal = m.Nominal(Chips, ComputeType.Parallel);
        Assert.Equal(9e12 - 10e12, CapacityModel.Redundant(nominal, h)); // q = H_c − Σ = 9 − 10 TFLOPS
        Assert.Equal(9_000UL, m.CapacityMilliNcu(Chips, ComputeType.Parallel, h));
    }

    [Fact]
    public void Capacity_never_exceeds_the_highest_observed_peak_nor_goes_negative()
    {
        var m = new CapacityModel();
        var h = new PeakHistory(window: 4, percentile: 100);
        h.Observe(2e12);
        Assert.Equal(2_000UL, m.CapacityMilliNcu(Chips, ComputeType.Parallel, h));
        var zero = new PeakHistory();
        zero.Observe(0);
        zero.Observe(-1); // ignored
        Assert.Equal(0UL, m.CapacityMilliNcu(Chips, ComputeType.Parallel, zero));
    }

    [Fact]
    public void History_window_forgets_old_peaks()
    {
        var h = new PeakHistory(window: 3, percentile: 100);
        h.Observe(100);
        h.Observe(1);
        h.Observe(2);
        h.Observe(3);
        Assert.Equal(3, h.Count);
        Assert.Equal(3, h.Estimate());
    }
}
