using System.CommandLine;
using ProviderAgent.Inventory;
using Spectre.Console;

namespace ProviderAgent.Commands;

internal static class BenchCommand
{
    public static Command Create()
    {
        var runs = new Option<int>("--runs") { Description = "Number of benchmark runs (the median is reported)", DefaultValueFactory = _ => 3 };
        var seconds = new Option<double>("--seconds") { Description = "Seconds per run", DefaultValueFactory = _ => 3.0 };
        var cmd = new Command("bench", "Measure sustained CPU throughput (vector FMA and blocked SGEMM on all cores) and derive mNCU and grade.");
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object instead of tables (for scripts)" };
        cmd.Options.Add(runs);
        cmd.Options.Add(seconds);
        cmd.Options.Add(json);
        cmd.SetAction((result, ct) => CommonOptions.Guarded(async () =>
        {
            var options = new BenchmarkOptions(result.GetValue(runs), result.GetValue(seconds));
            if (options.Runs < 1 || options.SecondsPerRun <= 0) throw new ArgumentException("--runs must be ≥ 1 and --seconds > 0");
            if (result.GetValue(json))
            {
                var quiet = await new CpuBenchmark(options).RunAsync(null, ct);
                Console.WriteLine(Json(quiet));
                return 0;
            }
            BenchmarkResult? bench = null;
            await AnsiConsole.Progress().AutoClear(false).StartAsync(async ctx =>
            {
                var task = ctx.AddTask("benchmark", maxValue: 1.0);
                var progress = new Progress<BenchmarkProgress>(p => { task.Value = p.Fraction; task.Description = p.Stage; });
                bench = await new CpuBenchmark(options).RunAsync(progress, ct);
                task.Value = 1.0;
            });
            Print(bench!);
            return 0;
        }));
        return cmd;
    }

    internal static string Json(BenchmarkResult bench)
    {
        var capacity = CapacityModel.Logical(bench);
        return new System.Text.Json.Nodes.JsonObject
        {
            ["sustained_gflops"] = bench.SustainedGflops,
            ["fma_peak_gflops"] = bench.PeakFmaGflops,
            ["spread_pct"] = bench.SpreadPercent,
            ["mncu"] = capacity.MilliNcu,
            ["grade"] = (int)capacity.Grade,
            ["threads"] = bench.Threads,
            ["runs_sgemm_gflops"] = new System.Text.Json.Nodes.JsonArray(bench.Runs.Select(r => (System.Text.Json.Nodes.JsonNode)r.SgemmGflops).ToArray()),
        }.ToJsonString();
    }

    internal static void Print(BenchmarkResult bench)
    {
        var t = new Table().AddColumn("run").AddColumn("FMA peak GFLOPS").AddColumn("SGEMM GFLOPS");
        for (int i = 0; i < bench.Runs.Count; i++)
            t.AddRow((i + 1).ToString(), $"{bench.Runs[i].FmaGflops:F1}", $"{bench.Runs[i].SgemmGflops:F1}");
        AnsiConsole.Write(t);
        var capacity = CapacityModel.Logical(bench);
        AnsiConsole.MarkupLine($"threads: {bench.Threads}, kernel: {bench.Kernel}");
        AnsiConsole.MarkupLine($"sustained (SGEMM median): [bold]{bench.SustainedGflops:F1} GFLOPS[/], spread {bench.SpreadPercent:F1} %");
        AnsiConsole.MarkupLine($"vector FMA peak (median): {bench.PeakFmaGflops:F1} GFLOPS");
        AnsiConsole.MarkupLine($"Logical capacity: [bold]{capacity.MilliNcu} mNCU[/] (α = {capacity.Coefficient}), grade {(int)capacity.Grade} ({capacity.Grade.ToString().ToLowerInvariant()})");
    }
}
