namespace Market.Matching.Model;

/// <summary>Unit conversions. 1 NCU = 1 TFLOPS-equivalent; 1 mNCU = 1 GFLOPS-equivalent.</summary>
public static class Units
{
    public const ulong MilliPerNcu = 1_000;
    public const ulong SecondsPerHour = 3_600;

    /// <summary>One NCU-hour in mNCU·s: 1,000 × 3,600. Prices are per NCU-hour.</summary>
    public const ulong MilliNcuSecondsPerNcuHour = MilliPerNcu * SecondsPerHour;

    /// <summary>Throughput in FLOPS (or ops/s) to mNCU, rounding down (capacity is never overstated).</summary>
    public static ulong FlopsToMilliNcu(double flops) =>
        flops <= 0 || double.IsNaN(flops) ? 0 : (ulong)Math.Floor(flops / 1e9);
}
