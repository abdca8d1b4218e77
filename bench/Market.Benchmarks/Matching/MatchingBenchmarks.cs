using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using Market.Matching.Batch;
using Market.Matching.Engine;

namespace Market.Benchmarks.Matching;

/// <summary>Interactive runs: `dotnet run -c Release --project bench/Market.Benchmarks -- --filter *Matching*`.</summary>
public sealed class MatchingConfig : ManualConfig
{
    public MatchingConfig()
    {
        AddJob(Job.ShortRun);
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}

/// <summary>Replays of 100,000 commands of the benchmark stream; the naive linear-scan matcher is the baseline.</summary>
[Config(typeof(MatchingConfig))]
public class ContinuousMatchingBenchmarks
{
    private const int Count = 100_000;
    private Command[] _plain = null!, _constrained = null!;

    [GlobalSetup]
    public void Setup()
    {
        _plain = CommandStreams.Mixed(Count, seed: 1, constrained: false, out _);
        _constrained = CommandStreams.Mixed(Count, seed: 2, constrained: true, out _);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count)]
    public long Naive() => RunNaive(_plain);

    [Benchmark(OperationsPerInvoke = Count)]
    public long Engine() => RunEngine(_plain);

    [Benchmark(OperationsPerInvoke = Count)]
    public long EngineConstrained() => RunEngine(_constrained);

    private static long RunEngine(Command[] stream)
    {
        var sink = new CountingSink();
        var engine = new MatchingEngine(CommandStreams.Config(), sink);
        for (int i = 0; i < stream.Length; i++) engine.Apply(stream[i]);
        return sink.Matched;
    }

    private static long RunNaive(Command[] stream)
    {
        var naive = new NaiveMatcher(1 << 18, 1 << 15);
        for (int i = 0; i < stream.Length; i++) naive.Apply(stream[i]);
        return naive.Matched;
    }
}

/// <summary>The batch solver alone on 10,000 unconstrained bids × 1,000 offers.</summary>
[Config(typeof(MatchingConfig))]
public class BatchAuctionBenchmarks
{
    private long[] _bp = null!, _op = null!;
    private ulong[] _bs = null!, _of = null!;
    private int[] _assign = null!;
    private BatchSolver _solver = null!;

    [GlobalSetup]
    public void Setup()
    {
        var r = new Random(3);
        _bp = new long[10_000]; _bs = new ulong[10_000]; _op = new long[1_000]; _of = new ulong[1_000];
        for (int i = 0; i < _bp.Length; i++) { _bp[i] = r.Next(850, 1_250); _bs[i] = (ulong)r.Next(500, 3_000); }
        for (int i = 0; i < _op.Length; i++) { _op[i] = r.Next(900, 1_200); _of[i] = (ulong)r.Next(2_000, 10_000); }
        Array.Sort(_bp); Array.Reverse(_bp); Array.Sort(_op);
        _assign = new int[_bp.Length];
        _solver = new BatchSolver(_bp.Length, _op.Length);
    }

    [Benchmark]
    public BatchResult Solve()
    {
        var all = new AllPairs();
        return _solver.Solve(_bp, _bs, _op, _of, ref all, _assign);
    }
}
