using Market.Matching.Model;

namespace Market.Benchmarks.Matching.Testbed;

/// <summary>
/// The survey's testbed (section VIII) as a discrete-event model, identical for every strategy:
/// - four edge nodes of different sustained capacity (2.0, 3.0, 4.5, 6.5 TFLOPS = mNCU below);
///   all devices attach to one access node (index 1, the survey's "node 2");
/// - tasks are face-recognition inference requests of work W ~ U[0.25, 1.0] TFLOP, due within
///   τ_max = 1 s, so each needs ceil(1000 W / (τ_max η)) = 500–2,000 mNCU (DemandModel, η = 0.5): grade 3;
/// - arrivals are Poisson at a rising rate, 2 → 12 tasks/s (12.8/s is where round-robin's slowest
///   node saturates; beyond it RR's latency grows without bound and any ratio would flatter us);
/// - a node serves its tasks first come first served at its full capacity; the response latency
///   of a task is τ = network + queueing + W / capacity (DESIGN §2, τ = f(P, S)), where network is
///   0 on the access node and 2.1 ms elsewhere (200 KB over 1 Gbit/s plus a 0.5 ms round trip).
/// </summary>
public static class TestbedModel
{
    public static readonly ulong[] NodeMilliNcu = [2_000, 3_000, 4_500, 6_500];
    public const int AccessNode = 1;
    public const double OffloadSeconds = 200e3 * 8 / 1e9 + 0.5e-3;
    public const double DeadlineSeconds = 1.0;
    public const double MeanWorkTflop = 0.625;
    public static readonly double[] Rates = [2, 4, 6, 8, 10, 12];
    public const int TasksPerRate = 4_000;

    public readonly record struct SimTask(double Arrival, double WorkTflop, ulong NeedMilliNcu);

    public static double Network(int node) => node == AccessNode ? 0 : OffloadSeconds;

    /// <summary>Seconds node <paramref name="node"/> needs to run <paramref name="workTflop"/> at full capacity.</summary>
    public static double Service(int node, double workTflop) => workTflop / (NodeMilliNcu[node] / 1000.0);

    public static SimTask[] Tasks(double rate, int seed)
    {
        var r = new Random(seed);
        var tasks = new SimTask[TasksPerRate];
        double t = 0;
        for (int i = 0; i < tasks.Length; i++)
        {
            t += -Math.Log(1 - r.NextDouble()) / rate;
            double w = 0.25 + 0.75 * r.NextDouble();
            tasks[i] = new SimTask(t, w, DemandModel.NeededMilliNcu(w, DeadlineSeconds));
        }
        return tasks;
    }
}

/// <summary>What one strategy produced at one arrival rate.</summary>
public sealed class SimOutcome
{
    public required string Strategy { get; init; }
    public double[] Latency { get; } = new double[TestbedModel.TasksPerRate];
    public double[] Busy { get; } = new double[TestbedModel.NodeMilliNcu.Length];
    public int[] Count { get; } = new int[TestbedModel.NodeMilliNcu.Length];
    public double End { get; set; }

    /// <summary>Records task i run on node n, arriving at a, finishing at f.</summary>
    public void Record(int i, int node, double arrival, double finish, double service)
    {
        Latency[i] = finish - arrival;
        Busy[node] += service;
        Count[node]++;
        End = Math.Max(End, finish);
    }

    public double MeanLatency() => Latency.Average();

    public double P95Latency()
    {
        var s = (double[])Latency.Clone();
        Array.Sort(s);
        return s[(int)(s.Length * 0.95)];
    }

    /// <summary>Coefficient of variation of the nodes' utilisation (busy time / elapsed time).</summary>
    public double UtilisationCv(double start) => Cv(Busy.Select(b => b / (End - start)).ToArray());

    public double CountCv() => Cv(Count.Select(c => (double)c).ToArray());

    private static double Cv(double[] x)
    {
        double mean = x.Average();
        double sd = Math.Sqrt(x.Select(v => (v - mean) * (v - mean)).Average());
        return mean == 0 ? 0 : sd / mean;
    }
}
