namespace Market.Benchmarks.Matching.Testbed;

/// <summary>Runs LC, RR, GR and ours over the rising arrival rates and prints the comparison table.</summary>
public static class TestbedSimulation
{
    public readonly record struct Summary(double OursLatency, double RoundRobinLatency, double OursImbalance, double RoundRobinImbalance);

    public static Summary RunAll(TextWriter log)
    {
        string[] names = ["LC", "RR", "GR", "ours"];
        var latency = new double[4];
        var utilCv = new double[4];
        log.WriteLine("matching: survey testbed replay — mean response latency ms (p95) | node utilisation CV | task-count CV");
        log.WriteLine($"  {"rate/s",6} | {"LC",17} | {"RR",17} | {"GR",17} | {"ours",17} | util CV LC/RR/GR/ours | count CV LC/RR/GR/ours");
        foreach (var rate in TestbedModel.Rates)
        {
            var tasks = TestbedModel.Tasks(rate, seed: (int)(rate * 1000));
            SimOutcome[] o = [Baselines.Local(tasks), Baselines.RoundRobin(tasks), Baselines.Greedy(tasks), new EngineDispatcher().Run(tasks)];
            double start = tasks[0].Arrival;
            var line = $"  {rate,6:0.#}";
            for (int s = 0; s < 4; s++)
            {
                latency[s] += o[s].MeanLatency() / TestbedModel.Rates.Length;
                utilCv[s] += o[s].UtilisationCv(start) / TestbedModel.Rates.Length;
                line += $" | {o[s].MeanLatency() * 1e3,8:0.0} ({o[s].P95Latency() * 1e3,6:0})";
            }
            line += $" | {o[0].UtilisationCv(start):0.00}/{o[1].UtilisationCv(start):0.00}/{o[2].UtilisationCv(start):0.00}/{o[3].UtilisationCv(start):0.00}";
            line += $" | {o[0].CountCv():0.00}/{o[1].CountCv():0.00}/{o[2].CountCv():0.00}/{o[3].CountCv():0.00}";
            log.WriteLine(line);
        }
        var all = "  mean  ";
        for (int s = 0; s < 4; s++) all += $" | {names[s]} {latency[s] * 1e3:0.0} ms, util CV {utilCv[s]:0.00}";
        log.WriteLine(all);
        return new Summary(latency[3], latency[1], utilCv[3], utilCv[1]);
    }
}
