namespace ProviderAgent.Inventory;

/// <summary>Whether a capacity figure was measured on this machine or only declared from specs.</summary>
public enum CapacitySource { Measured, DeclaredUnmeasured }

/// <summary>One compute type's capacity, with where the figure came from.</summary>
public sealed record CapacityFigure(ComputeType Type, double Gflops, double Coefficient, CapacitySource Source, string Basis)
{
    public ulong MilliNcu => ComputeUnits.ToMilliNcu(Gflops, Coefficient);
    public Grade Grade => ComputeUnits.GradeOf(MilliNcu);

    /// <summary>Only measured figures may be offered: DESIGN §2 "measured, not declared".</summary>
    public bool Offerable => Source == CapacitySource.Measured && MilliNcu > 0;
}

/// <summary>
/// DESIGN §2, survey eq. 1: C = Σ α·f(a) + q per compute type. f(a) is the benchmark's sustained
/// GFLOPS; q = H_c − Σ α·f(a) comes from <see cref="ObservedThroughput"/>, the peak seen in real
/// jobs. q is only added when positive: a slow job says something about the job, not the machine.
/// </summary>
public static class CapacityModel
{
    public static CapacityFigure Logical(BenchmarkResult bench, double alpha = 1.0, ObservedThroughput? observed = null)
    {
        double baseline = bench.SustainedGflops;
        double q = observed is null ? 0 : Math.Max(0, observed.PeakGflops(ComputeType.Logical) / alpha - baseline);
        string basis = $"SGEMM median of {bench.Runs.Count} run(s) on {bench.Threads} thread(s), spread {bench.SpreadPercent:F1}%"
            + (q > 0 ? $", plus q = {q:F1} GFLOPS observed in jobs" : "");
        return new CapacityFigure(ComputeType.Logical, baseline + q, alpha, CapacitySource.Measured, basis);
    }

    /// <summary>
    /// A GPU figure the agent cannot measure (no GPU kernels in a managed agent without CUDA). It
    /// is listed for information, labelled declared/unmeasured, and never offered.
    /// </summary>
    public static CapacityFigure DeclaredGpu(GpuFacts gpu, double beta = 1.0) =>
        new(ComputeType.Parallel, 0, beta, CapacitySource.DeclaredUnmeasured,
            $"{gpu.Name}, {gpu.MemoryBytes / (1024 * 1024)} MiB, max SM clock {gpu.MaxSmClockMhz} MHz: not measured");
}
