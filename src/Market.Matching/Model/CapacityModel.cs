namespace Market.Matching.Model;

/// <summary>One chip's measured, sustained figure (ops/s or FLOPS) of one compute type.</summary>
public readonly record struct ChipMeasurement(ComputeType Type, double Throughput);

/// <summary>
/// The survey's capacity model (eq. 1): C = Σ coefficient · f(measured) + q, per compute type.
/// f is the identity because the agent measures sustained throughput rather than reading a
/// datasheet peak (the survey's f maps datasheet figures to throughput). q, the "redundant" term,
/// is learned from observed peaks: q = H_c − Σ coefficient · f(a). With no history q = 0.
/// </summary>
public sealed class CapacityModel
{
    private readonly TypeCoefficients _coefficients;

    public CapacityModel(TypeCoefficients coefficients) => _coefficients = coefficients;

    public CapacityModel() : this(TypeCoefficients.Default) { }

    /// <summary>Σ coefficient · f(measured) over the chips of one type, in FLOPS-equivalent.</summary>
    public double Nominal(ReadOnlySpan<ChipMeasurement> chips, ComputeType type)
    {
        double sum = 0;
        foreach (var c in chips)
            if (c.Type == type && c.Throughput > 0) sum += _coefficients.For(type) * c.Throughput;
        return sum;
    }

    /// <summary>q = H_c − nominal, with H_c from <paramref name="history"/>; 0 when there is no history.</summary>
    public static double Redundant(double nominal, PeakHistory? history) =>
        history is { Count: > 0 } ? history.Estimate() - nominal : 0;

    /// <summary>C in mNCU: nominal + q, never negative and (with history) never above the highest observed peak.</summary>
    public ulong CapacityMilliNcu(ReadOnlySpan<ChipMeasurement> chips, ComputeType type, PeakHistory? history)
    {
        double nominal = Nominal(chips, type);
        double c = nominal + Redundant(nominal, history);
        if (history is { Count: > 0 }) c = Math.Min(c, history.Max());
        return Units.FlopsToMilliNcu(Math.Max(0, c));
    }
}
