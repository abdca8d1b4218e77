using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using ProviderAgent.Inventory;
using ProviderAgent.Images;
using ProviderAgent.Runtime;
using ProviderAgent.Runtime.Runc;

namespace ProviderAgent.Commands;

/// <summary>
/// Measures agent.start_overhead_ms (DESIGN §9): the median wall time of a `true` container run
/// through IContainerRuntime (start, wait, delete) minus the median of a raw `runc run` of the
/// same config. Hidden: it is a benchmark for scripts/bench/agent.sh, not a provider command.
/// </summary>
internal static class BenchStartCommand
{
    public static Command Create()
    {
        var image = new Option<string>("--image") { Description = "Image to run `true` in", Required = true };
        var runs = new Option<int>("--runs") { Description = "Containers per side", DefaultValueFactory = _ => 20 };
        var cmd = new Command("bench-start", "Benchmark: container start overhead of the agent over raw runc (prints JSON).") { Hidden = true };
        cmd.Options.Add(image);
        cmd.Options.Add(runs);
        cmd.Options.Add(RuntimeOptions.RuncRoot);
        cmd.SetAction((result, ct) => CommonOptions.Guarded(async () =>
        {
            var paths = CommonOptions.Paths(result);
            var img = new ImageStore(paths.DataDirectory).Require(result.GetValue(image)!);
            int n = result.GetValue(runs);
            var options = new RuncOptions
            {
                DataDirectory = paths.DataDirectory, CgroupParent = "compute-market-bench", StateRoot = result.GetValue(RuntimeOptions.RuncRoot)!,
            };
            await using var runtime = new RuncRuntime(options, paths.OpenState());
            var spec = new ContainerSpec(img, ["true"], Timeout: TimeSpan.FromSeconds(30));
            var agent = new List<double>();
            var raw = new List<double>();
            string bundle = Path.Combine(paths.DataDirectory, "tmp", "raw-bundle");
            Directory.CreateDirectory(bundle);
            for (int i = -2; i < n; i++) // two warm-up rounds per side, not counted
            {
                var sw = Stopwatch.StartNew();
                var r = await runtime.RunAsync(spec, ct);
                if (r.ExitCode != 0) throw new InvalidOperationException($"agent container failed: {r.Error ?? r.Stderr.Text}");
                if (i >= 0) agent.Add(sw.Elapsed.TotalMilliseconds);

                string id = $"cm-raw-{Environment.ProcessId}-{i + 2}";
                var config = OciConfig.Build(spec, img.RootfsPath, $"/compute-market-bench/{id}", false, new Cgroups().SwapLimitSupported);
                await File.WriteAllTextAsync(Path.Combine(bundle, "config.json"), config.ToJsonString(), ct);
                sw.Restart();
                using (var p = Process.Start(new ProcessStartInfo(options.RuncPath)
                       { ArgumentList = { "--root", options.StateRoot, "run", "--bundle", bundle, id } })!)
                {
                    await p.WaitForExitAsync(ct);
                    if (p.ExitCode != 0) throw new InvalidOperationException($"raw runc run exited {p.ExitCode}");
                }
                if (i >= 0) raw.Add(sw.Elapsed.TotalMilliseconds);
            }
            new Cgroups().Remove("compute-market-bench", null, includeParent: true);
            Directory.Delete(bundle, recursive: true);
            double a = BenchmarkResult.Median(agent), b = BenchmarkResult.Median(raw);
            Console.WriteLine(new JsonObject { ["agent_ms"] = a, ["raw_runc_ms"] = b, ["overhead_ms"] = a - b, ["runs"] = n }.ToJsonString());
            return 0;
        }));
        return cmd;
    }
}
