namespace ProviderAgent.Inventory;

/// <summary>One benchmark run on all cores.</summary>
public sealed record BenchmarkRun(double FmaGflops, double SgemmGflops, TimeSpan Duration);

/// <summary>
/// The result of several runs. <see cref="SustainedGflops"/> (the SGEMM median) is the figure the
/// agent sells; FMA is the vector peak, shown for comparison so a reader sees how far real work
/// falls below it.
/// </summary>
public sealed record BenchmarkResult(IReadOnlyList<BenchmarkRun> Runs, int Threads, string Kernel)
{
    public double SustainedGflops => Median(Runs.Select(r => r.SgemmGflops));
    public double PeakFmaGflops => Median(Runs.Select(r => r.FmaGflops));

    /// <summary>(max − min) / median of the SGEMM runs, in percent; 0 for a single run.</summary>
    public double SpreadPercent
    {
        get
        {
            var xs = Runs.Select(r => r.SgemmGflops).ToArray();
            double median = Median(xs);
            return xs.Length < 2 || median <= 0 ? 0 : (xs.Max() - xs.Min()) / median * 100.0;
        }
    }

    public ulong MilliNcu(double alpha = 1.0) => ComputeUnits.ToMilliNcu(SustainedGflops, alpha);

    public Grade Grade(double alpha = 1.0) => ComputeUnits.GradeOf(MilliNcu(alpha));

    public static double Median(IEnumerable<double> values)
    {
        var xs = values.OrderBy(x => x).ToArray();
        if (xs.Length == 0) return 0;
        int mid = xs.Length / 2;
        return xs.Length % 2 == 1 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2.0;
    }
}
