using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Market.Chain;
using Market.Chain.Accounts;
using Market.Chain.Bids;
using Market.Chain.Contracts;
using Market.Chain.Crypto;
using Market.Chain.Signing;
using Market.TestSupport;

namespace Market.Benchmarks.Api;

/// <summary>
/// api.bids_per_s, api.submit_p50_ms, api.submit_p99_ms: signed jobs accepted per second over HTTP
/// on loopback by a real Market.Api process (Kestrel, SQLite, a Hardhat chain behind it), each one
/// verified (EIP-712 signature, spec hash, escrow, nonce), persisted and journaled to the engine.
/// Bids are signed before the clock starts — client signing is not the server's cost — and priced
/// below any offer so they rest: opening leases on chain is measured by the e2e group, not here.
/// </summary>
public sealed class ApiFigures : IFigureGroup
{
    public string Group => "api";

    private const int Consumers = 50, Concurrency = 64;
    private static readonly int Total = int.TryParse(Environment.GetEnvironmentVariable("API_BENCH_BIDS"), out var n) ? n : 5_000;
    // Warm-up in rounds with pauses, long enough for tiered JIT to finish recompiling the hot
    // framework code (a few hundred requests left it at tier 0, or its background compiles running
    // inside the timed window, for seconds): the figure is the steady state of a running server.
    private static readonly int Warmup = int.TryParse(Environment.GetEnvironmentVariable("API_BENCH_WARMUP"), out var w) ? w : 4_000;
    private const int WarmupRounds = 2;

    public void Run(Action<string, double, string> report) => RunAsync(report).GetAwaiter().GetResult();

    private static async Task RunAsync(Action<string, double, string> report)
    {
        await using var node = await HardhatNode.StartAsync();
        var d = node.Deployment;
        var keys = await FundConsumersAsync(node, Consumers);
        using var api = ApiProcess.Start(node);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency }) { BaseAddress = new Uri(api.Url) };
        await api.WaitReadyAsync(http, (long)await node.Client.BlockNumberAsync());

        var tokens = new List<string>();
        foreach (var k in keys) tokens.Add(await SignInAsync(http, k));
        var signer = new BidSigner(d.ChainId, d.AddressOf("LeaseEscrow"));
        var requests = new List<(string Token, byte[] Body)>();
        for (int i = 0; i < Warmup + Total; i++) requests.Add((tokens[i % Consumers], SignedJob(signer, keys[i % Consumers], i)));
        Console.Error.WriteLine($"api: {requests.Count} bids signed; firing with {Concurrency} connections");

        for (int round = 0; round < WarmupRounds; round++)
        {
            await FireAsync(http, requests.Skip(round * Warmup / WarmupRounds).Take(Warmup / WarmupRounds).ToList());
            await Task.Delay(1_000);
        }
        // API_BENCH_TRACE=<dotnet-trace path>: profile the server during the timed run (speedscope JSON in /tmp).
        Process? tracer = null;
        if (Environment.GetEnvironmentVariable("API_BENCH_TRACE") is { Length: > 0 } tool)
            tracer = Process.Start(tool, ["collect", "-p", api.Pid.ToString(), "--duration", "00:00:00:08", "--format", "Speedscope", "-o", "/tmp/api-trace.nettrace"]);
        var cpu0 = api.CpuTime;
        var (elapsed, latencies, failures) = await FireAsync(http, requests.Skip(Warmup).ToList());
        var cpuPerBid = (api.CpuTime - cpu0).TotalMilliseconds / Total;
        tracer?.WaitForExit();
        // Server CPU per bid is the figure that does not depend on what else the machine runs.
        Console.Error.WriteLine($"api: server CPU {cpuPerBid:0.00} ms per bid → at most {Environment.ProcessorCount * 1000 / cpuPerBid:0} bids/s on {Environment.ProcessorCount} cores");
        report("api.server_cpu_ms_per_bid", cpuPerBid, "ms");
        if (failures.Count > 0) Console.Error.WriteLine($"api: {failures.Count} refused, e.g. {failures[0]}");
        latencies.Sort();
        report("api.bids_per_s", (Total - failures.Count) / elapsed.TotalSeconds, "bids/s");
        report("api.submit_p50_ms", latencies[latencies.Count / 2], "ms");
        report("api.submit_p99_ms", latencies[(int)(latencies.Count * 0.99)], "ms");
    }

    private static async Task<(TimeSpan, List<double>, List<string>)> FireAsync(HttpClient http, List<(string Token, byte[] Body)> requests)
    {
        var latencies = new List<double>(requests.Count);
        var failures = new List<string>();
        var next = -1;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests.Count)
            {
                var (token, body) = requests[i];
                using var msg = new HttpRequestMessage(HttpMethod.Post, "/v1/jobs") { Content = new ByteArrayContent(body) };
                msg.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                msg.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                var t = Stopwatch.GetTimestamp();
                using var r = await http.SendAsync(msg);
                var ms = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                lock (latencies)
                {
                    latencies.Add(ms);
                    if ((int)r.StatusCode != 202) failures.Add($"{(int)r.StatusCode}: {r.Content.ReadAsStringAsync().Result}");
                }
            }
        }));
        return (sw.Elapsed, latencies, failures);
    }

    private static byte[] SignedJob(BidSigner signer, EthKey key, int i)
    {
        var spec = new JsonObject
        {
            ["image"] = "busybox:latest", ["command"] = new JsonArray("sh", "-c", $"echo {i}"), ["milliNcu"] = 800, ["maxDurationSec"] = 600,
        };
        var bid = new Bid
        {
            Consumer = key.Address, JobSpecHash = JobSpecHash.Compute(spec.ToJsonString()), ComputeType = 0, Grade = 3, MilliNcu = 800,
            MaxPricePerNcuHour = 1, MaxDurationSec = 600, ConstraintsHash = new byte[32], Nonce = new BigInteger(i) + 1_000_000,
            Deadline = (ulong)DateTimeOffset.UtcNow.AddHours(2).ToUnixTimeSeconds(),
        };
        var body = new JsonObject
        {
            ["spec"] = spec,
            ["bid"] = new JsonObject
            {
                ["consumer"] = bid.Consumer.ToString(), ["jobSpecHash"] = Hex.Encode(bid.JobSpecHash), ["computeType"] = 0, ["grade"] = 3,
                ["milliNcu"] = 800, ["maxPricePerNcuHour"] = "1", ["maxDurationSec"] = 600, ["minUptimeBps"] = 0,
                ["constraintsHash"] = Hex.Encode(bid.ConstraintsHash), ["nonce"] = bid.Nonce.ToString(), ["deadline"] = bid.Deadline,
            },
            ["signature"] = signer.Sign(bid, key).ToHex(),
        };
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    /// <summary>
    /// Throwaway consumer keys derived from a fixed seed (bench only), given gas money with
    /// hardhat_setBalance and test tokens minted by the admin (Hardhat development key #0), then
    /// deposited into escrow.
    /// </summary>
    internal static async Task<List<EthKey>> FundConsumersAsync(HardhatNode node, int count)
    {
        var d = node.Deployment;
        var admin = new MarketContracts(d, node.Client).As(new TransactionSender(node.Client, DevelopmentKeys.Key(0), d.ChainId));
        var keys = new List<EthKey>();
        for (int i = 0; i < count; i++)
        {
            var key = new EthKey(Market.Chain.Crypto.Keccak256.Hash(Encoding.UTF8.GetBytes($"compute-market bench consumer {i}")));
            await node.SetBalanceAsync(key.Address, BigInteger.Pow(10, 20));
            await admin.Token.MintRequestAndWaitForReceiptAsync(key.Address, 1_000_000_000);
            var m = new MarketContracts(d, node.Client).As(new TransactionSender(node.Client, key, d.ChainId));
            await m.Token.ApproveRequestAndWaitForReceiptAsync(m.Escrow.ContractAddress, 1_000_000_000);
            await m.Escrow.DepositRequestAndWaitForReceiptAsync(1_000_000_000);
            keys.Add(key);
        }
        return keys;
    }

    internal static async Task<string> SignInAsync(HttpClient http, EthKey key)
    {
        var ch = await (await http.PostAsJsonAsync("/v1/auth/challenge", new { address = key.Address.ToString() })).Content.ReadFromJsonAsync<JsonElement>();
        var message = ch.GetProperty("message").GetString()!;
        var r = await http.PostAsJsonAsync("/v1/auth/token", new { message, signature = PersonalMessage.Sign(message, key).ToHex() });
        r.EnsureSuccessStatusCode();
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }
}
