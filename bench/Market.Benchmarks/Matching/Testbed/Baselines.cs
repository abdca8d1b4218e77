namespace Market.Benchmarks.Matching.Testbed;

/// <summary>
/// The survey's three baselines on the same node model. Each node's queue is summarised by the
/// time its server becomes free (FCFS at full capacity).
/// LC: every task stays on the node it arrived at (the access node).
/// RR: tasks go to the nodes in turn.
/// GR: each task goes to the node with the shortest predicted response latency for that very task
///     (network + current backlog + W / capacity) — computing modelling with exact queue knowledge,
///     the strongest greedy we could give it.
/// </summary>
public static class Baselines
{
    public static SimOutcome Local(TestbedModel.SimTask[] tasks) => Run("LC", tasks, (_, _, _) => TestbedModel.AccessNode);

    public static SimOutcome RoundRobin(TestbedModel.SimTask[] tasks) => Run("RR", tasks, (i, _, _) => i % TestbedModel.NodeMilliNcu.Length);

    public static SimOutcome Greedy(TestbedModel.SimTask[] tasks) => Run("GR", tasks, (_, task, freeAt) =>
    {
        int best = 0;
        double bestFinish = double.MaxValue;
        for (int n = 0; n < freeAt.Length; n++)
        {
            double finish = Math.Max(task.Arrival + TestbedModel.Network(n), freeAt[n]) + TestbedModel.Service(n, task.WorkTflop);
            if (finish < bestFinish) { bestFinish = finish; best = n; }
        }
        return best;
    });

    private static SimOutcome Run(string name, TestbedModel.SimTask[] tasks, Func<int, TestbedModel.SimTask, double[], int> choose)
    {
        var outcome = new SimOutcome { Strategy = name };
        var freeAt = new double[TestbedModel.NodeMilliNcu.Length];
        for (int i = 0; i < tasks.Length; i++)
        {
            var t = tasks[i];
            int n = choose(i, t, freeAt);
            double service = TestbedModel.Service(n, t.WorkTflop);
            double finish = Math.Max(t.Arrival + TestbedModel.Network(n), freeAt[n]) + service;
            freeAt[n] = finish;
            outcome.Record(i, n, t.Arrival, finish, service);
        }
        return outcome;
    }
}
