using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Market.Chain;
using Market.Chain.Bids;
using Market.Chain.Crypto;
using Market.Chain.Keystore;
using ProviderAgent.Config;
using ProviderAgent.Inventory;
using Spectre.Console;

namespace ProviderAgent.Commands;

/// <summary>
/// `provider-agent init`: creates (or imports) the provider key into a keystore v3 file, probes and
/// benchmarks the machine with progress, derives mNCU and grade, and writes agent.json. The key and
/// the passphrase are never printed; only the address is.
/// </summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var market = new Option<string>("--market-url") { Description = "Market API base URL", DefaultValueFactory = _ => "http://127.0.0.1:5000" };
        var rpc = new Option<string>("--rpc-url") { Description = "Ethereum JSON-RPC URL", DefaultValueFactory = _ => "http://127.0.0.1:8545" };
        var deployment = new Option<string>("--deployment-file") { Description = "deployments/<network>.json written by scripts/deploy.js", DefaultValueFactory = _ => "deployments/localhost.json" };
        var import = new Option<string?>("--import-key-file") { Description = "Import the private key (0x hex) from this file instead of creating one; the file is not copied" };
        var runs = new Option<int>("--bench-runs") { Description = "Benchmark runs (median offered)", DefaultValueFactory = _ => 3 };
        var seconds = new Option<double>("--bench-seconds") { Description = "Seconds per benchmark run", DefaultValueFactory = _ => 3.0 };
        var pricing = new Option<PricingStrategy>("--pricing") { Description = "Fixed or ScaleByResource", DefaultValueFactory = _ => PricingStrategy.Fixed };
        var price = new Option<long>("--price") { Description = "Fixed price per NCU-hour (token base units)", DefaultValueFactory = _ => 2_000_000 };
        var regions = new Option<string[]>("--region") { Description = "Region(s) served (the first is posted with offers)", DefaultValueFactory = _ => ["local"], AllowMultipleArgumentsPerToken = true };
        var allowNetwork = new Option<bool>("--allow-network") { Description = "Let jobs that ask for network use the host's network" };
        var maxOffer = new Option<ulong>("--max-offer-mncu") { Description = "Split capacity into offers of at most this many mNCU (0: one offer)" };
        var scryptN = new Option<int>("--scrypt-n") { Description = "Keystore scrypt cost N (power of two)", DefaultValueFactory = _ => 131072, Hidden = true };
        var cmd = new Command("init", "Create or import the provider key, measure this machine and write the agent config.");
        foreach (var o in new Option[] { market, rpc, deployment, import, runs, seconds, pricing, price, regions, allowNetwork, maxOffer, scryptN }) cmd.Options.Add(o);
        cmd.SetAction((result, ct) => CommonOptions.Guarded(async () =>
        {
            var paths = CommonOptions.Paths(result);
            Directory.CreateDirectory(paths.DataDirectory);
            string keyFile = Path.Combine(paths.DataDirectory, "key.json");
            EthKey key = LoadOrCreateKey(keyFile, result.GetValue(import), result.GetValue(ChainOptions.PassphraseFile), result.GetValue(scryptN));
            Console.WriteLine($"provider address: {key.Address}");

            var facts = await new HardwareProbe(paths.DataDirectory).ProbeAsync(ct);
            BenchmarkResult? bench = null;
            var options = new BenchmarkOptions(result.GetValue(runs), result.GetValue(seconds));
            if (Console.IsOutputRedirected)
            {
                var progress = new Progress<BenchmarkProgress>(p => { if (p.Fraction >= 1) Console.WriteLine("benchmark: done"); });
                Console.WriteLine($"benchmark: {options.Runs} run(s) of {options.SecondsPerRun} s on {facts.Cpu.LogicalCores} core(s)…");
                bench = await new CpuBenchmark(options).RunAsync(progress, ct);
            }
            else
                await AnsiConsole.Progress().AutoClear(false).StartAsync(async ctx =>
                {
                    var task = ctx.AddTask("benchmark", maxValue: 1.0);
                    bench = await new CpuBenchmark(options).RunAsync(new Progress<BenchmarkProgress>(p => { task.Value = p.Fraction; task.Description = p.Stage; }), ct);
                    task.Value = 1.0;
                });
            var capacity = CapacityModel.Logical(bench!);
            var config = new AgentConfig
            {
                MarketUrl = result.GetValue(market)!, RpcUrl = result.GetValue(rpc)!, DeploymentFile = Path.GetFullPath(result.GetValue(deployment)!),
                KeyFile = "key.json", Address = key.Address.ToString(),
                MilliNcu = capacity.MilliNcu, Grade = (int)capacity.Grade, AttestationHash = Hex.Encode(AttestationHash(facts, bench!, capacity)),
                MemoryMb = facts.MemoryTotalBytes >> 20, DiskMb = facts.DiskFreeBytes >> 20,
                Pricing = new PricingConfig { Strategy = result.GetValue(pricing), PricePerNcuHour = result.GetValue(price) },
                Regions = result.GetValue(regions)!, AllowNetwork = result.GetValue(allowNetwork), MaxOfferMilliNcu = result.GetValue(maxOffer),
            };
            config.Save(AgentConfig.PathIn(paths.DataDirectory));
            Console.WriteLine($"measured: {bench!.SustainedGflops:F1} GFLOPS sustained (spread {bench.SpreadPercent:F1} %) = {capacity.MilliNcu} mNCU, grade {(int)capacity.Grade}");
            Console.WriteLine($"config written to {AgentConfig.PathIn(paths.DataDirectory)}; next: provider-agent register, provider-agent offer, provider-agent run");
            return 0;
        }));
        return cmd;
    }

    private static EthKey LoadOrCreateKey(string keyFile, string? importFile, string? passphraseFile, int scryptN)
    {
        if (importFile is null && File.Exists(keyFile))
        {
            Console.WriteLine($"using the existing key in {keyFile}");
            return KeySource.Load(keyFile, passphraseFile);
        }
        EthKey key = importFile is null ? EthKey.Generate() : new EthKey(File.ReadAllText(importFile).Trim());
        KeySource.Save(keyFile, key, KeySource.Passphrase(passphraseFile, confirm: true), new ScryptParameters { N = scryptN });
        Console.WriteLine($"{(importFile is null ? "created" : "imported")} key, encrypted in {keyFile}");
        return key;
    }

    /// <summary>Keccak-256 of the canonical JSON of what was measured: the hash the chain records with the capacity.</summary>
    internal static byte[] AttestationHash(MachineFacts facts, BenchmarkResult bench, CapacityFigure capacity)
    {
        static string F(double d) => d.ToString("F3", CultureInfo.InvariantCulture);
        var doc = new JsonObject
        {
            ["cpu"] = facts.Cpu.Model, ["cores"] = facts.Cpu.LogicalCores, ["simd"] = facts.Cpu.Simd.Describe(),
            ["memoryBytes"] = facts.MemoryTotalBytes.ToString(), ["gpus"] = new JsonArray(facts.Gpus.Select(g => (JsonNode)g.Name).ToArray()),
            ["kernel"] = bench.Kernel, ["threads"] = bench.Threads, ["sgemmGflops"] = new JsonArray(bench.Runs.Select(r => (JsonNode)F(r.SgemmGflops)).ToArray()),
            ["sustainedGflops"] = F(bench.SustainedGflops), ["milliNcu"] = capacity.MilliNcu.ToString(), ["basis"] = capacity.Basis,
        };
        return JobSpecHash.Compute(doc.ToJsonString());
    }
}
