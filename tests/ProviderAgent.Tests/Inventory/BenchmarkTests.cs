using ProviderAgent.Inventory;

namespace ProviderAgent.Tests.Inventory;

public sealed class BenchmarkTests
{
    [Fact]
    public void Sgemm_kernel_computes_the_product()
    {
        var k = new SgemmKernel(96);
        k.Multiply();
        foreach (var (i, j) in new[] { (0, 0), (5, 17), (95, 95), (31, 48), (90, 7) })
            Assert.Equal(k.Reference(i, j), k.Result(i, j), 3);
    }

    [Fact]
    public void Sgemm_rejects_sizes_that_do_not_tile() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SgemmKernel(100));

    [Fact]
    public async Task Benchmark_reports_positive_gflops_a_spread_and_progress()
    {
        var seen = new List<double>();
        var progress = new SyncProgress(p => seen.Add(p.Fraction));
        var result = await new CpuBenchmark(new BenchmarkOptions(Runs: 2, SecondsPerRun: 0.45, MatrixSize: 96)).RunAsync(progress);
        Assert.Equal(2, result.Runs.Count);
        Assert.All(result.Runs, r => { Assert.True(r.SgemmGflops > 0); Assert.True(r.FmaGflops > 0); });
        Assert.True(result.SustainedGflops > 0);
        Assert.InRange(result.SpreadPercent, 0, 200);
        Assert.True(result.MilliNcu() >= 1);
        Assert.NotEqual(Grade.None, result.Grade());
        Assert.Equal(1.0, seen[^1]);
        Assert.Equal(seen.Order(), seen);
    }

    [Fact]
    public void Spread_and_median_follow_their_definitions()
    {
        var r = new BenchmarkResult([new(100, 40, TimeSpan.Zero), new(100, 50, TimeSpan.Zero), new(100, 45, TimeSpan.Zero)], 2, "test");
        Assert.Equal(45, r.SustainedGflops);
        Assert.Equal((50 - 40) / 45.0 * 100, r.SpreadPercent, 9);
        Assert.Equal(45UL, r.MilliNcu());
        Assert.Equal(Grade.Small, r.Grade());
    }

    [Theory]
    [InlineData(0UL, Grade.None)]
    [InlineData(1UL, Grade.Small)]
    [InlineData(499UL, Grade.Small)]
    [InlineData(500UL, Grade.Medium)]
    [InlineData(9_999UL, Grade.Medium)]
    [InlineData(10_000UL, Grade.Large)]
    [InlineData(1_000_000UL, Grade.Large)]
    [InlineData(1_000_001UL, Grade.Super)]
    public void Grades_match_units_and_money(ulong mNcu, Grade grade) => Assert.Equal(grade, ComputeUnits.GradeOf(mNcu));

    [Fact]
    public void Mncu_is_floored_and_coefficients_are_the_design_defaults()
    {
        Assert.Equal(123UL, ComputeUnits.ToMilliNcu(123.99));
        Assert.Equal(0UL, ComputeUnits.ToMilliNcu(double.NaN));
        Assert.Equal(1.0, ComputeUnits.DefaultCoefficient(ComputeType.Logical));
        Assert.Equal(0.25, ComputeUnits.DefaultCoefficient(ComputeType.Neural));
        Assert.Equal(25UL, ComputeUnits.ToMilliNcu(100, ComputeUnits.DefaultCoefficient(ComputeType.Neural)));
    }

    [Fact]
    public void Observed_peak_adds_q_only_when_above_the_benchmark()
    {
        var bench = new BenchmarkResult([new(100, 40, TimeSpan.Zero)], 2, "test");
        var observed = new ObservedThroughput();
        observed.Record(ComputeType.Logical, 30e9, TimeSpan.FromSeconds(1)); // 30 GFLOPS: below, q = 0
        Assert.Equal(40UL, CapacityModel.Logical(bench, observed: observed).MilliNcu);
        observed.Record(ComputeType.Logical, 100e9, TimeSpan.FromSeconds(2)); // 50 GFLOPS peak: q = 10
        var c = CapacityModel.Logical(bench, observed: observed);
        Assert.Equal(50UL, c.MilliNcu);
        Assert.Equal(CapacitySource.Measured, c.Source);
        Assert.True(c.Offerable);
        Assert.Equal(2, observed.Samples(ComputeType.Logical));
    }

    private sealed class SyncProgress(Action<BenchmarkProgress> report) : IProgress<BenchmarkProgress>
    {
        private readonly Lock _gate = new();
        public void Report(BenchmarkProgress value) { lock (_gate) report(value); }
    }
}
