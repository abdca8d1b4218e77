namespace Market.Benchmarks.Matching;

/// <summary>
/// `figures matching-replay`: only the unconstrained replay, many times over — a quick check of
/// matching.continuous_cmds_per_s and a steady loop to attach a profiler to (perf with
/// DOTNET_PerfMapEnabled=1). Not part of the DESIGN §9 figures.
/// </summary>
public sealed class ReplayFigure : IFigureGroup
{
    public string Group => "matching-replay";

    public void Run(Action<string, double, string> report)
    {
        var plain = CommandStreams.Mixed(1_000_000, seed: 1, constrained: false, out _);
        var (cps, _, _) = ThroughputRunner.Replay(plain, runs: int.TryParse(Environment.GetEnvironmentVariable("REPLAY_RUNS"), out int n) ? n : 10);
        report("matching.continuous_cmds_per_s", Math.Round(cps), "cmds/s");
    }
}
