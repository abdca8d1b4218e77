namespace Market.Matching.Model;

/// <summary>
/// The survey's mapping coefficients α (logical), β (parallel), γ (neural) of eq. 1. Defaults:
/// α = 1 (CPU ops), β = 1 (GPU FP32), γ = 0.25 because one BF16 tensor FLOP does less general work
/// than one FP32 FLOP (DESIGN §2). Operators can configure their own.
/// </summary>
public readonly record struct TypeCoefficients(double Alpha, double Beta, double Gamma)
{
    public static TypeCoefficients Default => new(1.0, 1.0, 0.25);

    public double For(ComputeType type) => type switch
    {
        ComputeType.Logical => Alpha,
        ComputeType.Parallel => Beta,
        ComputeType.Neural => Gamma,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
