namespace ProviderAgent.Inventory;

/// <summary>The compute types of docs/units-and-money.md; the values are the on-chain enum.</summary>
public enum ComputeType : byte { Logical = 0, Parallel = 1, Neural = 2 }

/// <summary>Grades by mNCU, exactly as docs/units-and-money.md (0 = no grade).</summary>
public enum Grade : byte { None = 0, Super = 1, Large = 2, Medium = 3, Small = 4 }

/// <summary>
/// mNCU and grades as every component computes them. Kept here rather than referencing
/// Market.Matching so the agent's inventory works before that project lands; the thresholds are
/// pinned by tests to the same table.
/// </summary>
public static class ComputeUnits
{
    /// <summary>DESIGN §2 default type coefficients (α CPU, β GPU FP32, γ tensor).</summary>
    public static double DefaultCoefficient(ComputeType type) => type switch
    {
        ComputeType.Logical => 1.0,
        ComputeType.Parallel => 1.0,
        ComputeType.Neural => 0.25,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>
    /// mNCU for a measured GFLOPS figure: floor(coefficient × GFLOPS). Floor, because capacity
    /// the provider cannot deliver would breach the SLA; 1 mNCU = 1 GFLOPS-equivalent.
    /// </summary>
    public static ulong ToMilliNcu(double gflops, double coefficient = 1.0)
    {
        if (double.IsNaN(gflops) || gflops <= 0 || coefficient <= 0) return 0;
        return (ulong)Math.Floor(gflops * coefficient);
    }

    public static Grade GradeOf(ulong milliNcu) => milliNcu switch
    {
        0 => Grade.None,
        > 1_000_000 => Grade.Super,
        >= 10_000 => Grade.Large,
        >= 500 => Grade.Medium,
        _ => Grade.Small,
    };
}
