namespace Market.Matching.Model;

/// <summary>
/// The survey's demand model τ = f(P, S) (eq. 2) reduced to what a bid needs: a job that states its
/// work W (TFLOP) and a deadline τ_max (s) needs W / (τ_max × η) NCU, i.e.
/// ceil(1000 × W / (τ_max × η)) mNCU. η is the sustained efficiency a real job reaches against the
/// benchmark figure an offer is graded on; the default 0.5 is deliberately conservative (measured
/// inference and training jobs typically sustain 30–70 % of a GEMM benchmark), configurable per job.
/// </summary>
public static class DemandModel
{
    public const double DefaultEfficiency = 0.5;

    /// <summary>Needed mNCU, or 0 when the inputs are not positive finite numbers.</summary>
    public static ulong NeededMilliNcu(double workTflop, double deadlineSeconds, double efficiency = DefaultEfficiency)
    {
        if (!(workTflop > 0) || !(deadlineSeconds > 0) || !(efficiency > 0) || efficiency > 1) return 0;
        double x = 1000.0 * workTflop / (deadlineSeconds * efficiency);
        if (double.IsInfinity(x) || x >= ulong.MaxValue) return 0;
        // Relative guard of 1e-12 so that 1000 × 4 / (1 × 1) computed as 4000.0000000000005 is 4000, not 4001.
        return (ulong)Math.Ceiling(x * (1 - 1e-12));
    }

    /// <summary>The grade of a job of work W due in τ_max.</summary>
    public static byte GradeOf(double workTflop, double deadlineSeconds, double efficiency = DefaultEfficiency) =>
        Grades.GradeOf(NeededMilliNcu(workTflop, deadlineSeconds, efficiency));

    /// <summary>The grade of a throughput demand stated directly in FLOPS (the survey's examples).</summary>
    public static byte GradeOfFlops(double flops) => Grades.GradeOf(Units.FlopsToMilliNcu(flops));
}
