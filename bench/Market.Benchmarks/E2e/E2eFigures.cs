using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using Market.Benchmarks.Api;
using Market.Chain.Bids;
using Market.TestSupport;

namespace Market.Benchmarks.E2e;

/// <summary>
/// The whole market on loopback — a Hardhat node, a Market.Api process (SQLite, MATCHER and SETTLER keys),
/// three provider-agent daemons (runc) with grade-3 offers at three prices — under signed busybox jobs from
/// E2E_BENCH_CONSUMERS consumers, in two phases:
/// <list type="number">
/// <item>Capacity (closed loops): each consumer submits, watches the job until its container runs, submits
/// the next. The system is saturated by construction, so this gives the most jobs it carries per second
/// (e2e.bids_per_s) and, by Little's law, a latency of consumers ÷ throughput
/// (e2e.saturated_submit_to_running_p50_ms).</item>
/// <item>Latency under load (open loop): the same consumers submit on a Poisson schedule at E2E_BENCH_LOAD
/// (0.5) of that capacity, whether earlier jobs ran or not — the load a market actually sees — and each
/// job's latency counts from its scheduled time, so a late client never hides a slow server
/// (e2e.submit_to_running_p50_ms / _p99_ms, e2e.submit_to_settled_p50_ms, e2e.open_rate_per_s).</item>
/// </list>
/// Times come from the API's job timeline (when it recorded `running`, `settled`) against the client's clock.
/// </summary>
public sealed class E2eFigures : IFigureGroup
{
    public string Group => "e2e";

    private static int Env(string name, int fallback) => int.TryParse(Environment.GetEnvironmentVariable(name), out var n) && n > 0 ? n : fallback;

    private static readonly (int Key, long Price)[] Providers = [(4, 2_000_000), (5, 2_500_000), (6, 3_000_000)];
    private const ulong AgentMilliNcu = 100_000;

    private sealed record Job(int Index, int Consumer, long SubmittedMs)
    {
        public long Id { get; set; }
        public string Status { get; set; } = "";
        public Dictionary<string, long> At { get; set; } = [];
    }

    public void Run(Action<string, double, string> report) => RunAsync(report).GetAwaiter().GetResult();

    private static async Task RunAsync(Action<string, double, string> report)
    {
        int total = Env("E2E_BENCH_JOBS", 300), consumers = Env("E2E_BENCH_CONSUMERS", 50);
        var image = Environment.GetEnvironmentVariable("E2E_BENCH_IMAGE") is { Length: > 0 } img && File.Exists(img)
            ? img : throw new InvalidOperationException("E2E_BENCH_IMAGE must name a busybox docker-save tarball (scripts/bench/e2e.sh builds one)");
        await using var node = await HardhatNode.StartAsync();
        var d = node.Deployment;
        Log($"chain up at {node.RpcUrl}; setting up {Providers.Length} providers (provider-agent init, register, offer, image import)");
        int port = FreePort.Next();
        var agents = new List<BenchProvider>();
        var dir = Directory.CreateTempSubdirectory("market-e2e-api-").FullName;
        MarketApiProcess? started = null;
        // Ctrl-C or SIGTERM (e.g. `timeout`): a killed .NET process runs no finally, so stop exactly
        // what this run started — agents and their containers, the API, the chain — then exit.
        int interrupted = 0;
        void Interrupt(PosixSignalContext ctx)
        {
            ctx.Cancel = true;
            if (Interlocked.Exchange(ref interrupted, 1) == 1) return;
            Log($"{ctx.Signal}: stopping the agents (and their containers), the API and the chain");
            lock (agents) foreach (var a in agents) a.Dispose();
            try { started?.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(30)); } catch (Exception e) { Log($"API: {e.Message}"); }
            try { node.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(30)); } catch (Exception e) { Log($"chain: {e.Message}"); }
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
            Environment.Exit(ctx.Signal == PosixSignal.SIGINT ? 130 : 143);
        }
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        try
        {
            var tag = Guid.NewGuid().ToString("N")[..8];
            foreach (var (key, price) in Providers)
            {
                var agent = await BenchProvider.SetUpAsync(node, $"http://127.0.0.1:{port}", DevelopmentKeys.PrivateKeys[key], price, AgentMilliNcu, image, $"{tag}-{key}");
                lock (agents) agents.Add(agent);
            }
            Log($"funding {consumers} consumers");
            var keys = await ApiFigures.FundConsumersAsync(node, consumers);
            await using var api = await MarketApiProcess.StartAsync(node, dir, DevelopmentKeys.PrivateKeys[1], new Dictionary<string, string>
            {
                ["Market__Chain__SettlerKey"] = DevelopmentKeys.PrivateKeys[2], // Hardhat's public development key #2
                ["Market__RateLimit__PerSecond"] = "1000000",
                ["Logging__LogLevel__Default"] = "Warning",
            }, port: port);
            started = api;
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = consumers + 16 }) { BaseAddress = new Uri(api.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
            int offers = Providers.Length * (int)((AgentMilliNcu + 9_998) / 9_999);
            await WaitForOffersAsync(http, offers);
            foreach (var a in agents) await a.RunAsync();
            Log($"{agents.Count} agents ready, {offers} offers in the book; signing in {consumers} consumers");
            var tokens = new List<string>();
            foreach (var k in keys) tokens.Add(await ApiFigures.SignInAsync(http, k));
            var signer = new BidSigner(d.ChainId, d.AddressOf("LeaseEscrow"));

            Log("warm-up: one job per consumer");
            await LoopAsync(http, tokens, Enumerable.Range(0, consumers).Select(i => (i, Body(signer, keys, i, consumers))).ToList(), consumers);
            var bodies = Enumerable.Range(consumers, total).Select(i => (i, Body(signer, keys, i, consumers))).ToList();
            Log($"capacity: {total} jobs, {consumers} consumers in closed loops");
            var t0 = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var jobs = await LoopAsync(http, tokens, bodies, consumers);
            var ran = Ran(jobs, api);
            var lastRunning = ran.Count == 0 ? t0 : ran.Max(j => j.At["running"]);
            var capacity = ran.Count * 1000.0 / Math.Max(1, lastRunning - t0);
            report("e2e.bids_per_s", capacity, "bids/s");
            var toRunning = ToRunning(ran);
            report("e2e.saturated_submit_to_running_p50_ms", Pct(toRunning, 0.5), "ms");
            Log($"saturated: submit→running p50 {Pct(toRunning, 0.5):0} ms, p99 {Pct(toRunning, 0.99):0} ms (≈ {consumers} in flight ÷ {capacity:0.00} jobs/s)");
            Breakdown(ran);

            // Let the capacity phase drain (settlement transactions) before the latency phase starts.
            Log("waiting for the capacity phase's jobs to settle");
            await WaitSettledAsync(http, tokens, ran, TimeSpan.FromMinutes(5));

            var rate = double.TryParse(Environment.GetEnvironmentVariable("E2E_BENCH_RATE"), System.Globalization.CultureInfo.InvariantCulture, out var r) && r > 0
                ? r : capacity * LoadFraction();
            int openJobs = Env("E2E_BENCH_OPEN_JOBS", Math.Max(20, (int)Math.Ceiling(rate * 60)));
            var openBodies = Enumerable.Range(consumers + total, openJobs).Select(i => (i, Body(signer, keys, i, consumers))).ToList();
            Log($"latency under load: {openJobs} jobs at {rate:0.00} jobs/s (Poisson), {consumers} consumers, open loop");
            var open = Ran(await OpenLoopAsync(http, tokens, openBodies, consumers, rate), api);
            report("e2e.open_rate_per_s", rate, "jobs/s");
            var openToRunning = ToRunning(open);
            report("e2e.submit_to_running_p50_ms", Pct(openToRunning, 0.5), "ms");
            report("e2e.submit_to_running_p99_ms", Pct(openToRunning, 0.99), "ms");
            Breakdown(open);

            Log("waiting for every job to be settled on chain (finalized after the challenge period)");
            await WaitSettledAsync(http, tokens, open, TimeSpan.FromMinutes(5));
            var settled = open.Where(j => j.At.ContainsKey("settled")).Select(j => (double)(j.At["settled"] - j.SubmittedMs)).Order().ToList();
            Log($"{settled.Count} of {open.Count} jobs of the latency phase settled; capacity phase: {ran.Count(j => j.Status == "settled")} of {ran.Count}");
            if (settled.Count > 0) report("e2e.submit_to_settled_p50_ms", Pct(settled, 0.5), "ms");
            await CheckResultsAsync(http, tokens, ran.Take(5).Concat(open.Take(5)));
        }
        catch
        {
            foreach (var a in agents) Console.Error.WriteLine("[agent] " + a.Output.Split('\n').TakeLast(20).Aggregate("", (s, l) => s + "\n" + l));
            throw;
        }
        finally
        {
            foreach (var a in agents) a.Dispose();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static double LoadFraction() =>
        double.TryParse(Environment.GetEnvironmentVariable("E2E_BENCH_LOAD"), System.Globalization.CultureInfo.InvariantCulture, out var f) && f is > 0 and <= 1 ? f : 0.5;

    private static List<double> ToRunning(List<Job> ran) => ran.Select(j => (double)(j.At["running"] - j.SubmittedMs)).Order().ToList();

    /// <summary>The jobs that reached a container; the others are logged with what the API said.</summary>
    private static List<Job> Ran(List<Job> jobs, MarketApiProcess api)
    {
        var failed = jobs.Where(j => !j.At.ContainsKey("running")).ToList();
        if (failed.Count > 0)
        {
            Log($"{failed.Count} jobs never ran, e.g. job {failed[0].Id}: {failed[0].Status}; the API said:");
            foreach (var line in api.Output.Split('\n').Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("error", StringComparison.OrdinalIgnoreCase)).TakeLast(20))
                Console.Error.WriteLine("[api] " + line);
        }
        return jobs.Where(j => j.At.ContainsKey("running")).ToList();
    }

    /// <summary>
    /// Open loop: job k is due at the k-th arrival of a Poisson process of <paramref name="rate"/> per second
    /// (fixed seed) and is sent then by its consumer whatever happened to earlier jobs; its latency counts
    /// from when it was due.
    /// </summary>
    private static async Task<List<Job>> OpenLoopAsync(HttpClient http, List<string> tokens, List<(int Index, byte[] Body)> bodies, int consumers, double rate)
    {
        var rng = new Random(8);
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 500;
        double t = 0;
        var due = bodies.Select(b => { t += -Math.Log(1 - rng.NextDouble()) / rate; return (b.Index, b.Body, At: start + (long)(t * 1000)); }).ToList();
        var jobs = await Task.WhenAll(due.Select(async d =>
        {
            int c = d.Index % consumers;
            var wait = d.At - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            if (wait > 0) await Task.Delay((int)wait);
            var job = new Job(d.Index, c, d.At) { Id = await E2eJobs.SubmitAsync(http, tokens[c], d.Body) };
            await WatchUntilRunningAsync(http, tokens[c], job);
            return job;
        }));
        return jobs.ToList();
    }

    private static async Task WatchUntilRunningAsync(HttpClient http, string token, Job job)
    {
        var until = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            await Task.Delay(100);
            (job.Status, job.At) = await E2eJobs.ReadAsync(http, token, job.Id);
            if (E2eJobs.StartedOrLater.Contains(job.Status) || E2eJobs.Dead.Contains(job.Status)) return;
            if (DateTime.UtcNow > until) { Log($"job {job.Id} stayed {job.Status} for 2 minutes; counted as not run"); return; }
        }
    }

    private static byte[] Body(BidSigner signer, List<Market.Chain.Crypto.EthKey> keys, int i, int consumers) =>
        E2eJobs.Signed(signer, keys[i % consumers], i);

    /// <summary>Each consumer c submits jobs c, c+C, c+2C…, one at a time, each as soon as the previous one runs.</summary>
    private static async Task<List<Job>> LoopAsync(HttpClient http, List<string> tokens, List<(int Index, byte[] Body)> bodies, int consumers)
    {
        var done = new ConcurrentBag<Job>();
        int started = 0;
        await Task.WhenAll(Enumerable.Range(0, consumers).Select(async c =>
        {
            foreach (var (index, body) in bodies.Where(b => b.Index % consumers == c))
            {
                var job = new Job(index, c, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                job.Id = await E2eJobs.SubmitAsync(http, tokens[c], body);
                await WatchUntilRunningAsync(http, tokens[c], job);
                done.Add(job);
                if (Interlocked.Increment(ref started) % 100 == 0) Log($"{started} of {bodies.Count} jobs running");
            }
        }));
        return done.ToList();
    }

    private static async Task WaitSettledAsync(HttpClient http, List<string> tokens, List<Job> jobs, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        var open = jobs.ToList();
        while (open.Count > 0 && DateTime.UtcNow < until)
        {
            await Parallel.ForEachAsync(open, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (j, _) =>
                (j.Status, j.At) = await E2eJobs.ReadAsync(http, tokens[j.Consumer], j.Id));
            open = open.Where(j => j.Status != "settled" && !E2eJobs.Dead.Contains(j.Status)).ToList();
            Log($"{jobs.Count - open.Count} of {jobs.Count} settled or ended");
            if (open.Count > 0) await Task.Delay(2_000);
        }
    }

    /// <summary>Each job printed i²: a sample of results is checked, so the figures are of jobs that really ran.</summary>
    private static async Task CheckResultsAsync(HttpClient http, List<string> tokens, IEnumerable<Job> sample)
    {
        foreach (var j in sample)
        {
            using var msg = new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{j.Id}/result");
            msg.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens[j.Consumer]);
            using var r = await http.SendAsync(msg);
            var text = (await r.Content.ReadAsStringAsync()).Trim();
            if (text != ((long)j.Index * j.Index).ToString())
                throw new InvalidOperationException($"job {j.Id} (i = {j.Index}) answered {(int)r.StatusCode} '{text}', expected {(long)j.Index * j.Index}");
        }
    }

    /// <summary>Where the time goes between submission and running, on stderr (medians of each step the timeline shows).</summary>
    private static void Breakdown(List<Job> jobs)
    {
        string[] steps = ["submitted", "open", "matched", "leased", "running"];
        var parts = new List<string>();
        for (int s = 0; s < steps.Length; s++)
        {
            var xs = jobs.Where(j => j.At.ContainsKey(steps[s])).Select(j => (double)(j.At[steps[s]] - Prev(j, steps, s))).Order().ToList();
            if (xs.Count > 0) parts.Add($"→{steps[s]} p50 {Pct(xs, 0.5):0} ms p99 {Pct(xs, 0.99):0} ms");
        }
        Log("breakdown: " + string.Join(", ", parts));
    }

    private static long Prev(Job j, string[] steps, int s)
    {
        for (int p = s - 1; p >= 0; p--) if (j.At.TryGetValue(steps[p], out var t)) return t;
        return j.SubmittedMs;
    }

    private static async Task WaitForOffersAsync(HttpClient http, int offers)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var r = await http.GetAsync("/health/ready");
            var live = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("liveOffers").GetInt32();
            if (live >= offers) return;
            if (DateTime.UtcNow > until) throw new TimeoutException($"only {live} of {offers} offers reached the engine");
            await Task.Delay(200);
        }
    }

    private static double Pct(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * p))];

    private static void Log(string line) => Console.Error.WriteLine($"e2e: {line}");
}
