using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ProviderAgent.Inventory;

/// <summary>
/// Single-precision C += A·B on square row-major matrices, blocked for cache with a 6×16
/// register micro-kernel (12 accumulators) over a packed panel of B. This is the figure the
/// agent sells: unlike the pure FMA loop it pays for loads and cache misses, as real jobs do.
/// </summary>
public sealed class SgemmKernel
{
    private const int Rows = 6; // 6×16 tile: 12 accumulators cover FMA latency on two ports
    private const int KBlock = 128; // a 128×16 panel of B (8 KiB) stays in L1 while every row tile passes over it
    private readonly float[] _a, _b, _c;
    private readonly float[] _panel = new float[KBlock * 16];

    public int N { get; }

    public SgemmKernel(int n = 288)
    {
        if (n % 48 != 0 || n < 48) throw new ArgumentOutOfRangeException(nameof(n), "n must be a positive multiple of 48 (6-row by 16-column tiles)");
        N = n;
        _a = new float[n * n]; _b = new float[n * n]; _c = new float[n * n];
        var rng = new Random(42);
        for (int i = 0; i < _a.Length; i++) { _a[i] = (float)rng.NextDouble() - 0.5f; _b[i] = (float)rng.NextDouble() - 0.5f; }
    }

    /// <summary>Floating-point operations one <see cref="Multiply"/> performs: 2·n³.</summary>
    public double FlopsPerMultiply => 2.0 * N * N * N;

    public float Checksum => _c[0] + _c[^1];

    /// <summary>Reference product for tests (naive triple loop, double accumulation).</summary>
    public double Reference(int row, int col)
    {
        double s = 0;
        for (int k = 0; k < N; k++) s += (double)_a[row * N + k] * _b[k * N + col];
        return s;
    }

    public float Result(int row, int col) => _c[row * N + col];

    public void Clear() => Array.Clear(_c);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // no tier-0 first run (see FmaKernel)
    public void Multiply()
    {
        int n = N;
        ref float a = ref MemoryMarshal.GetArrayDataReference(_a);
        ref float c = ref MemoryMarshal.GetArrayDataReference(_c);
        ref float panel = ref MemoryMarshal.GetArrayDataReference(_panel);
        for (int kb = 0; kb < n; kb += KBlock)
        {
            int kEnd = Math.Min(kb + KBlock, n);
            for (int j = 0; j < n; j += 16)
            {
                PackPanel(kb, kEnd, j);
                for (int i = 0; i < n; i += Rows)
                    MicroKernel(ref a, ref panel, ref c, n, i, j, kb, kEnd);
            }
        }
    }

    // Rows of B lie n floats apart; read in place, a 128-row strip hits the same few L1 sets and
    // evicts itself (4K aliasing). Copied into one contiguous panel it streams from L1.
    private void PackPanel(int kb, int kEnd, int j)
    {
        for (int k = kb; k < kEnd; k++)
            _b.AsSpan(k * N + j, 16).CopyTo(_panel.AsSpan((k - kb) * 16, 16));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MicroKernel(ref float a, ref float b, ref float c, int n, int i, int j, int kb, int kEnd)
    {
        nuint r0 = (nuint)(i * n + j), r1 = r0 + (nuint)n, r2 = r1 + (nuint)n, r3 = r2 + (nuint)n, r4 = r3 + (nuint)n, r5 = r4 + (nuint)n;
        var c00 = Vector256.LoadUnsafe(ref c, r0); var c01 = Vector256.LoadUnsafe(ref c, r0 + 8);
        var c10 = Vector256.LoadUnsafe(ref c, r1); var c11 = Vector256.LoadUnsafe(ref c, r1 + 8);
        var c20 = Vector256.LoadUnsafe(ref c, r2); var c21 = Vector256.LoadUnsafe(ref c, r2 + 8);
        var c30 = Vector256.LoadUnsafe(ref c, r3); var c31 = Vector256.LoadUnsafe(ref c, r3 + 8);
        var c40 = Vector256.LoadUnsafe(ref c, r4); var c41 = Vector256.LoadUnsafe(ref c, r4 + 8);
        var c50 = Vector256.LoadUnsafe(ref c, r5); var c51 = Vector256.LoadUnsafe(ref c, r5 + 8);
        ref float a0 = ref Unsafe.Add(ref a, i * n);
        for (int k = kb; k < kEnd; k++)
        {
            nuint bk = (nuint)((k - kb) * 16);
            var b0 = Vector256.LoadUnsafe(ref b, bk);
            var b1 = Vector256.LoadUnsafe(ref b, bk + 8);
            var x = Vector256.Create(Unsafe.Add(ref a0, k));
            c00 = Vector256.MultiplyAddEstimate(x, b0, c00); c01 = Vector256.MultiplyAddEstimate(x, b1, c01);
            x = Vector256.Create(Unsafe.Add(ref a0, n + k));
            c10 = Vector256.MultiplyAddEstimate(x, b0, c10); c11 = Vector256.MultiplyAddEstimate(x, b1, c11);
            x = Vector256.Create(Unsafe.Add(ref a0, 2 * n + k));
            c20 = Vector256.MultiplyAddEstimate(x, b0, c20); c21 = Vector256.MultiplyAddEstimate(x, b1, c21);
            x = Vector256.Create(Unsafe.Add(ref a0, 3 * n + k));
            c30 = Vector256.MultiplyAddEstimate(x, b0, c30); c31 = Vector256.MultiplyAddEstimate(x, b1, c31);
            x = Vector256.Create(Unsafe.Add(ref a0, 4 * n + k));
            c40 = Vector256.MultiplyAddEstimate(x, b0, c40); c41 = Vector256.MultiplyAddEstimate(x, b1, c41);
            x = Vector256.Create(Unsafe.Add(ref a0, 5 * n + k));
            c50 = Vector256.MultiplyAddEstimate(x, b0, c50); c51 = Vector256.MultiplyAddEstimate(x, b1, c51);
        }
        c00.StoreUnsafe(ref c, r0); c01.StoreUnsafe(ref c, r0 + 8);
        c10.StoreUnsafe(ref c, r1); c11.StoreUnsafe(ref c, r1 + 8);
        c20.StoreUnsafe(ref c, r2); c21.StoreUnsafe(ref c, r2 + 8);
        c30.StoreUnsafe(ref c, r3); c31.StoreUnsafe(ref c, r3 + 8);
        c40.StoreUnsafe(ref c, r4); c41.StoreUnsafe(ref c, r4 + 8);
        c50.StoreUnsafe(ref c, r5); c51.StoreUnsafe(ref c, r5 + 8);
    }
}
