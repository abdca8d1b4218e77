using Market.Matching.Engine;

namespace Market.Benchmarks.Matching;

/// <summary>
/// The "matching" BENCH figures (DESIGN §9). Everything runs in one process, one thread, in
/// about a minute; details and context go to stderr so stdout carries only BENCH lines.
/// </summary>
public sealed class MatchingFigures : IFigureGroup
{
    private const int StreamLength = 1_000_000;
    // matching.vs_naive is timed on commands 100k..300k: by 100k (100 s of stream time, longer than
    // any order lives) the books have reached their steady depth (~2k bids, ~4k offers). Timing from
    // an empty book, as before, mixed in the fill-up where the naive scans are short, and the ratio
    // then depended on how much of the window that was (18–35× under load).
    private const int NaiveFrom = 100_000;
    private const int NaiveWindow = 200_000;

    public string Group => "matching";

    public void Run(Action<string, double, string> report)
    {
        var plain = CommandStreams.Mixed(StreamLength, seed: 1, constrained: false, out int rejPlain);
        var constrained = CommandStreams.Mixed(StreamLength, seed: 2, constrained: true, out int rejCons);

        var (cps, alloc, sink) = ThroughputRunner.Replay(plain, runs: 5);
        Console.Error.WriteLine($"matching: unconstrained stream: {StreamLength:N0} cmds, {sink.Matched:N0} matches, {rejPlain:N0} rejected, {sink.Events:N0} events");
        report("matching.continuous_cmds_per_s", Math.Round(cps), "cmds/s");

        var (ccps, calloc, csink) = ThroughputRunner.Replay(constrained, runs: 5);
        Console.Error.WriteLine($"matching: constrained stream: {csink.Matched:N0} matches, {rejCons:N0} rejected");
        report("matching.constrained_cmds_per_s", Math.Round(ccps), "cmds/s");

        Console.Error.WriteLine("matching: constrained stream, time per command kind:");
        ThroughputRunner.Latency(constrained);
        Console.Error.WriteLine("matching: unconstrained stream, time per command kind:");
        var (p50, p99, p999) = ThroughputRunner.Latency(plain);
        Console.Error.WriteLine($"matching: per-command latency p50 {p50:0.000} µs, p99 {p99:0.000} µs, p99.9 {p999:0.000} µs (timer included)");
        report("matching.p99_us", p99, "us");
        report("matching.alloc_bytes_per_cmd", Math.Max(alloc, calloc), "bytes");

        report("matching.batch_10k_x_1k_ms", BatchFigure.Run(), "ms");

        double engineSec = double.MaxValue, naiveSec = double.MaxValue;
        long naiveMatched = 0;
        CountingSink? engineSink = null;
        for (int i = 0; i < 3; i++) // interleaved, best of 3 each: load on the box hits both alike
        {
            engineSec = Math.Min(engineSec, ThroughputRunner.RunWindow(plain, NaiveFrom, NaiveWindow, out engineSink));
            naiveSec = Math.Min(naiveSec, ThroughputRunner.RunNaive(plain, NaiveFrom, NaiveWindow, out naiveMatched));
        }
        Console.Error.WriteLine($"matching: cmds {NaiveFrom:N0}..{NaiveFrom + NaiveWindow:N0} (steady book): engine {engineSec * 1e3:0.0} ms ({engineSink!.Matched:N0} matches), naive {naiveSec * 1e3:0.0} ms ({naiveMatched:N0} matches)");
        report("matching.vs_naive", naiveSec / engineSec, "x");

        var sim = Testbed.TestbedSimulation.RunAll(Console.Error);
        report("matching.sim_latency_vs_rr", sim.OursLatency / sim.RoundRobinLatency, "ratio");
        report("matching.sim_load_imbalance", sim.OursImbalance, "cv");
        report("matching.sim_load_imbalance_rr", sim.RoundRobinImbalance, "cv");
    }
}
