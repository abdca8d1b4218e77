using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ProviderAgent.Inventory;

/// <summary>
/// Peak vector FMA throughput: a register-resident loop with eight independent accumulators.
/// An FMA has a latency of ~4 cycles and two issue ports, so one dependency chain would measure
/// latency, not throughput; eight chains keep both ports busy. No memory traffic is involved, so
/// this is the ceiling the SGEMM figure is compared against.
/// </summary>
public static class FmaKernel
{
    /// <summary>Runs <paramref name="iterations"/> rounds; returns the floating-point operations done.</summary>
    public static double Run(long iterations, out float sink)
    {
        if (Vector512.IsHardwareAccelerated) return Run512(iterations, out sink);
        return Run256(iterations, out sink);
    }

    // AggressiveOptimization: straight to optimized code; tier-0 code in the first run would
    // otherwise show up as a slow run and inflate the spread.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Run256(long iterations, out float sink)
    {
        // acc = acc·a + b converges to b / (1 − a) = 1: no overflow, no denormals, no early exit.
        var a = Vector256.Create(0.999999f);
        var b = Vector256.Create(0.000001f);
        Vector256<float> x0 = Vector256.Create(0.1f), x1 = Vector256.Create(0.2f), x2 = Vector256.Create(0.3f),
            x3 = Vector256.Create(0.4f), x4 = Vector256.Create(0.5f), x5 = Vector256.Create(0.6f),
            x6 = Vector256.Create(0.7f), x7 = Vector256.Create(0.8f);
        for (long i = 0; i < iterations; i++)
        {
            // MultiplyAddEstimate is a single fused instruction where the CPU has FMA and mul+add
            // otherwise: the same two FLOPs either way, so the count below stays honest.
            x0 = Vector256.MultiplyAddEstimate(x0, a, b); x1 = Vector256.MultiplyAddEstimate(x1, a, b);
            x2 = Vector256.MultiplyAddEstimate(x2, a, b); x3 = Vector256.MultiplyAddEstimate(x3, a, b);
            x4 = Vector256.MultiplyAddEstimate(x4, a, b); x5 = Vector256.MultiplyAddEstimate(x5, a, b);
            x6 = Vector256.MultiplyAddEstimate(x6, a, b); x7 = Vector256.MultiplyAddEstimate(x7, a, b);
        }
        sink = Vector256.Sum(x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7);
        return iterations * 8.0 * Vector256<float>.Count * 2.0;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Run512(long iterations, out float sink)
    {
        var a = Vector512.Create(0.999999f);
        var b = Vector512.Create(0.000001f);
        Vector512<float> x0 = Vector512.Create(0.1f), x1 = Vector512.Create(0.2f), x2 = Vector512.Create(0.3f),
            x3 = Vector512.Create(0.4f), x4 = Vector512.Create(0.5f), x5 = Vector512.Create(0.6f),
            x6 = Vector512.Create(0.7f), x7 = Vector512.Create(0.8f);
        for (long i = 0; i < iterations; i++)
        {
            x0 = Vector512.MultiplyAddEstimate(x0, a, b); x1 = Vector512.MultiplyAddEstimate(x1, a, b);
            x2 = Vector512.MultiplyAddEstimate(x2, a, b); x3 = Vector512.MultiplyAddEstimate(x3, a, b);
            x4 = Vector512.MultiplyAddEstimate(x4, a, b); x5 = Vector512.MultiplyAddEstimate(x5, a, b);
            x6 = Vector512.MultiplyAddEstimate(x6, a, b); x7 = Vector512.MultiplyAddEstimate(x7, a, b);
        }
        sink = Vector512.Sum(x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7);
        return iterations * 8.0 * Vector512<float>.Count * 2.0;
    }
}
