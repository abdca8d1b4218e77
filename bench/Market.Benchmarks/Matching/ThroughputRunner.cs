using System.Diagnostics;
using Market.Matching.Engine;

namespace Market.Benchmarks.Matching;

/// <summary>Timed replays of a command stream through a fresh engine, one thread.</summary>
public static class ThroughputRunner
{
    /// <summary>Best of <paramref name="runs"/> replays (after one warm-up): commands per second; bytes allocated per command of the worst run.</summary>
    public static (double CmdsPerSec, double AllocPerCmd, CountingSink Sink) Replay(Command[] stream, int runs)
    {
        Run(stream, stream.Length, out _, out _); // warm-up: tiering, PGO, caches
        double best = 0, bestCpu = 0, alloc = 0;
        CountingSink sink = null!;
        for (int i = 0; i < runs; i++)
        {
            double seconds = Run(stream, stream.Length, out var bytes, out sink);
            best = Math.Max(best, stream.Length / seconds);
            bestCpu = Math.Max(bestCpu, stream.Length / LastCpuSeconds);
            alloc = Math.Max(alloc, (double)bytes / stream.Length); // the worst run, not the best
        }
        Console.Error.WriteLine($"matching: best of {runs}: {best:N0} cmds/s wall clock, {bestCpu:N0} cmds per thread-CPU second");
        return (best, alloc, sink);
    }

    /// <summary>Thread CPU seconds of the last <see cref="Run"/>.</summary>
    public static double LastCpuSeconds { get; private set; }

    /// <summary>Replays the first <paramref name="count"/> commands; returns seconds.</summary>
    public static double Run(Command[] stream, int count, out long allocated, out CountingSink sink)
    {
        sink = new CountingSink();
        var engine = new MatchingEngine(CommandStreams.Config(), sink);
        GC.Collect();
        long before = GC.GetAllocatedBytesForCurrentThread();
        double cpu0 = ThreadClock.Seconds();
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < count; i++) engine.Apply(stream[i]);
        long t1 = Stopwatch.GetTimestamp();
        LastCpuSeconds = ThreadClock.Seconds() - cpu0;
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return (t1 - t0) / (double)Stopwatch.Frequency;
    }

    /// <summary>Per-command latency quantile in µs, each command timed on its own (timer overhead included).</summary>
    public static (double P50, double P99, double P999) Latency(Command[] stream)
    {
        var lat = new long[stream.Length];
        for (int pass = 0; pass < 2; pass++) // the first pass warms up
        {
            var engine = new MatchingEngine(CommandStreams.Config(), new CountingSink());
            for (int i = 0; i < stream.Length; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                engine.Apply(stream[i]);
                lat[i] = Stopwatch.GetTimestamp() - t0;
            }
        }
        {
            var sum = new double[16]; var cnt = new int[16];
            for (int i = 0; i < stream.Length; i++) { sum[(int)stream[i].Kind] += lat[i]; cnt[(int)stream[i].Kind]++; }
            double total = sum.Sum();
            for (int k = 0; k < 16; k++) if (cnt[k] > 0) Console.Error.WriteLine($"matching:   {(CommandKind)k,-16} {cnt[k],8:N0} cmds, mean {sum[k] / cnt[k] * 1e6 / Stopwatch.Frequency:0.000} µs, {sum[k] / total:P0} of the time");
        }
        Array.Sort(lat);
        double us = 1e6 / Stopwatch.Frequency;
        return (lat[lat.Length / 2] * us, lat[(int)(lat.Length * 0.99)] * us, lat[(int)(lat.Length * 0.999)] * us);
    }

    /// <summary>
    /// Seconds for the engine over commands [from, from + count), after replaying [0, from) untimed
    /// (so the window runs on a book at its steady depth, not one filling up from empty).
    /// </summary>
    public static double RunWindow(Command[] stream, int from, int count, out CountingSink sink)
    {
        sink = new CountingSink();
        var engine = new MatchingEngine(CommandStreams.Config(), sink);
        for (int i = 0; i < from; i++) engine.Apply(stream[i]);
        long before = sink.Matched;
        long t0 = Stopwatch.GetTimestamp();
        for (int i = from; i < from + count; i++) engine.Apply(stream[i]);
        long t1 = Stopwatch.GetTimestamp();
        sink.Matched -= before;
        return (t1 - t0) / (double)Stopwatch.Frequency;
    }

    /// <summary>Seconds for the naive matcher over the same window, after the same untimed prefix.</summary>
    public static double RunNaive(Command[] stream, int from, int count, out long matched)
    {
        var naive = new NaiveMatcher(1 << 18, 1 << 15);
        for (int i = 0; i < from; i++) naive.Apply(stream[i]);
        long before = naive.Matched;
        long t0 = Stopwatch.GetTimestamp();
        for (int i = from; i < from + count; i++) naive.Apply(stream[i]);
        long t1 = Stopwatch.GetTimestamp();
        matched = naive.Matched - before;
        return (t1 - t0) / (double)Stopwatch.Frequency;
    }
}
