namespace Market.Benchmarks.Matching.Testbed;

/// <summary>`figures matching-testbed`: only the survey testbed replay (the last three matching figures), in seconds.</summary>
public sealed class TestbedFigure : IFigureGroup
{
    public string Group => "matching-testbed";

    public void Run(Action<string, double, string> report)
    {
        var sim = TestbedSimulation.RunAll(Console.Error);
        report("matching.sim_latency_vs_rr", sim.OursLatency / sim.RoundRobinLatency, "ratio");
        report("matching.sim_load_imbalance", sim.OursImbalance, "cv");
        report("matching.sim_load_imbalance_rr", sim.RoundRobinImbalance, "cv");
    }
}
