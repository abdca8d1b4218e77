using System.Text.Json;
using Market.Chain.Bids;
using Market.Chain.Usage;
using Market.TestSupport;
using ProviderAgent.Config;
using ProviderAgent.Daemon;
using ProviderAgent.Tests.Support;

namespace ProviderAgent.Tests.Leases;

/// <summary>
/// The daemon against a scripted market: garbage answers, wrongly typed payloads and leases whose
/// spec does not match the chain neither crash it nor run anything; each bad lease is reported Refused.
/// </summary>
[Collection(RuncCollection.Name)]
public sealed class MalformedLeaseTests(RuncFixture runc)
{
    private const string Spec = """{"image":"busybox:latest","command":["echo","hi"],"milliNcu":800,"maxDurationSec":600}""";

    [Fact]
    public async Task Malformed_and_mismatching_leases_are_refused_and_the_daemon_keeps_polling()
    {
        var key = DevelopmentKeys.Key(4);
        var chain = new FakeChain();
        chain.Leases[11] = (FakeChain.Open(key.Address), JobSpecHash.Compute(Spec));
        chain.Leases[12] = (FakeChain.Open(key.Address), JobSpecHash.Compute(Spec));
        var market = new FakeMarket();
        market.LeaseAnswers.Enqueue("this is not json");
        market.LeaseAnswers.Enqueue("""[{"leaseId":"eleven","specJson":42}]""");
        market.LeaseAnswers.Enqueue("""{"not":"a list"}""");
        string tampered = Spec.Replace("hi", "pwned");
        market.LeaseAnswers.Enqueue(JsonSerializer.Serialize(new object?[]
        {
            null,
            new { leaseId = 11, jobId = 1, consumer = "0x", offerId = 1, jobSpecHash = "0x", specJson = tampered, milliNcu = 800, pricePerNcuHour = "1", maxDurationSec = 600, startSec = 1000 },
            new { leaseId = 12, jobId = 2, consumer = "0x", offerId = 1, jobSpecHash = "0x", specJson = "{\"image\":", milliNcu = 800, pricePerNcuHour = "1", maxDurationSec = 600, startSec = 1000 },
            new { leaseId = 13, jobId = 3 },
        }));
        using var dir = new TempDir();
        var state = new ProviderAgent.State.AgentStateStore(dir.File("state.db"));
        await using var runtime = runc.NewRuntime();
        var config = new AgentConfig { MilliNcu = 50_000, MemoryMb = 4_096, Daemon = new DaemonConfig { LongPollSec = 1, HeartbeatSec = 1 } };
        var log = new List<string>();
        var agent = new AgentService(config, state, runtime, runc.Images, key, market.Client(), chain,
            new UsageReportSigner(31337, Market.Chain.Address.Parse("0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9")), l => { lock (log) log.Add(l); });
        using var stop = new CancellationTokenSource();
        var running = agent.RunAsync(stop.Token);
        var until = DateTime.UtcNow.AddSeconds(30);
        while (market.Reports.Count(r => r.Path.EndsWith("/status")) < 3 && DateTime.UtcNow < until) await Task.Delay(50);
        int pollsBefore = market.Polls;
        await Task.Delay(300);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(30));

        var statuses = market.Reports.Where(r => r.Path.EndsWith("/status")).ToList();
        Assert.Contains(statuses, s => s.Path == "/v1/agent/leases/11/status" && s.Body.Contains("hash mismatch"));
        Assert.Contains(statuses, s => s.Path == "/v1/agent/leases/12/status" && s.Body.Contains("not canonicalizable"));
        Assert.Contains(statuses, s => s.Path == "/v1/agent/leases/13/status" && s.Body.Contains("no job spec"));
        Assert.All(statuses, s => Assert.Contains("\"status\":1", s.Body)); // Refused
        Assert.DoesNotContain(market.Reports, r => r.Path.EndsWith("/usage") || r.Path.EndsWith("/result"));
        Assert.DoesNotContain(runc.State.ListContainers("runc"), c => c.LeaseId is "11" or "12" or "13");
        Assert.True(market.Polls > pollsBefore, "the daemon kept polling after the bad answers");
        Assert.Contains(log, l => l.Contains("lease poll failed"));
    }
}
