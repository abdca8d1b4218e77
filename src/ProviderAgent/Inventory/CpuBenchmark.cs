using System.Diagnostics;
using System.Runtime.Intrinsics;

namespace ProviderAgent.Inventory;

public sealed record BenchmarkOptions(int Runs = 3, double SecondsPerRun = 3.0, int? Threads = null, int MatrixSize = 288);

/// <summary>Progress of a benchmark: fraction done in [0, 1] and what is running now.</summary>
public readonly record struct BenchmarkProgress(double Fraction, string Stage);

/// <summary>
/// Measures sustained CPU throughput on every core. Each run spends a third of its time in the
/// FMA loop and two thirds in SGEMM; every thread works on its own matrices so the figure scales
/// with cores the way independent jobs do, and throughput is total FLOPs over wall time.
/// </summary>
public sealed class CpuBenchmark(BenchmarkOptions options)
{
    public Task<BenchmarkResult> RunAsync(IProgress<BenchmarkProgress>? progress = null, CancellationToken ct = default)
        => Task.Factory.StartNew(() => Run(progress, ct), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private BenchmarkResult Run(IProgress<BenchmarkProgress>? progress, CancellationToken ct)
    {
        if (options.Runs < 1) throw new ArgumentOutOfRangeException(nameof(options), "runs must be at least 1");
        if (options.SecondsPerRun <= 0) throw new ArgumentOutOfRangeException(nameof(options), "seconds must be positive");
        int threads = options.Threads ?? Environment.ProcessorCount;
        var runs = new List<BenchmarkRun>();
        var warm = new SgemmKernel(48);
        warm.Multiply(); FmaKernel.Run(1000, out _); // JIT both kernels before timing anything
        for (int r = 0; r < options.Runs; r++)
        {
            ct.ThrowIfCancellationRequested();
            double baseFraction = (double)r / options.Runs, share = 1.0 / options.Runs;
            var sw = Stopwatch.StartNew();
            double fmaSeconds = options.SecondsPerRun / 3, gemmSeconds = options.SecondsPerRun - fmaSeconds;
            progress?.Report(new(baseFraction, $"run {r + 1}/{options.Runs}: FMA"));
            double fma = OnAllThreads(threads, fmaSeconds, () => FmaKernel.Run(200_000, out _), f =>
                progress?.Report(new(baseFraction + share * f / 3, $"run {r + 1}/{options.Runs}: FMA")), ct);
            var kernels = Enumerable.Range(0, threads).Select(_ => new SgemmKernel(options.MatrixSize)).ToArray();
            int next = 0;
            var local = new ThreadLocal<SgemmKernel>(() => kernels[Interlocked.Increment(ref next) - 1]);
            double gemm = OnAllThreads(threads, gemmSeconds, () => { var k = local.Value!; k.Multiply(); return k.FlopsPerMultiply; }, f =>
                progress?.Report(new(baseFraction + share * (1 + 2 * f) / 3, $"run {r + 1}/{options.Runs}: SGEMM")), ct);
            local.Dispose();
            runs.Add(new BenchmarkRun(fma, gemm, sw.Elapsed));
        }
        progress?.Report(new(1, "done"));
        string kernel = Vector512.IsHardwareAccelerated ? "Vector512 FMA" : "Vector256 FMA";
        return new BenchmarkResult(runs, threads, kernel);
    }

    /// <summary>Runs <paramref name="work"/> in a loop on dedicated threads until the time is up; returns GFLOPS.</summary>
    private static double OnAllThreads(int threads, double seconds, Func<double> work, Action<double> onProgress, CancellationToken ct)
    {
        var flops = new double[threads];
        using var start = new Barrier(threads + 1);
        var deadline = 0L;
        var pool = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int id = t;
            pool[t] = new Thread(() =>
            {
                start.SignalAndWait();
                double done = 0;
                // Check the clock between chunks only: each chunk is a few ms, so the overrun is small
                // and is counted, because the figure divides by the measured wall time.
                while (Stopwatch.GetTimestamp() < Volatile.Read(ref deadline) && !ct.IsCancellationRequested)
                    done += work();
                flops[id] = done;
            }) { IsBackground = true, Name = $"bench-{t}" };
            pool[t].Start();
        }
        long begin = Stopwatch.GetTimestamp();
        Volatile.Write(ref deadline, begin + (long)(seconds * Stopwatch.Frequency));
        start.SignalAndWait();
        while (!pool.All(p => p.Join(100)))
            onProgress(Math.Min(1, Stopwatch.GetElapsedTime(begin).TotalSeconds / seconds));
        double elapsed = Stopwatch.GetElapsedTime(begin).TotalSeconds;
        ct.ThrowIfCancellationRequested();
        return flops.Sum() / elapsed / 1e9;
    }
}
