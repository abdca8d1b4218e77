using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Market.Api.Tests.Infrastructure;
using Market.Chain;
using Market.Protocol.Agents;
using Market.TestSupport;

namespace Market.Api.Tests.Functional;

/// <summary>
/// Billing through the market host: a job runs (agent simulated), the batcher proposes its lease with
/// the SETTLER key, finalizes it after the challenge window, and the consumer reads the settlement and
/// a statement that agrees with the escrow balance to the base unit.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class BillingApiTests(PostgresServer pg, ChainFixture chain) : IClassFixture<ChainFixture>
{
    private async Task<MarketApiFactory> StartAsync(string dialect) => await StartOnAsync(await Databases.FreshAsync(dialect, pg));

    private async Task<MarketApiFactory> StartOnAsync(string connectionString, Dictionary<string, string?>? extra = null)
    {
        var f = new MarketApiFactory(connectionString);
        foreach (var (k, v) in extra ?? []) f.Settings[k] = v;
        f.Settings["Market:Chain:RpcUrl"] = chain.RpcUrl;
        f.Settings["Market:Chain:DeploymentFile"] = chain.DeploymentFile;
        f.Settings["Market:Chain:MatcherKey"] = ChainFixture.Matcher.PrivateKeyHex;
        f.Settings["Market:Chain:SettlerKey"] = DevelopmentKeys.Key(2).PrivateKeyHex;
        f.Settings["Market:Chain:PollMilliseconds"] = "50";
        f.Settings["Market:Billing:MaxWaitSeconds"] = "0.2";
        f.Settings["Market:Billing:PollSeconds"] = "0.2";
        f.Settings["Market:Auth:ChainId"] = chain.Deployment.ChainId.ToString();
        f.Settings["Market:RateLimit:PerSecond"] = "10000";
        _ = f.Server;
        var http = f.CreateClient();
        var until = DateTime.UtcNow.AddSeconds(60);
        while ((await http.GetFromJsonAsync<JsonElement>("/health/ready")).GetProperty("liveOffers").GetInt32() < 1)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("the market never saw the provider's offer");
            await Task.Delay(50);
        }
        return f;
    }

    private static async Task<JsonElement> WaitForSettlementAsync(MarketClient c, long jobId, string state)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var s = await c.Http.GetFromJsonAsync<JsonElement>($"/v1/jobs/{jobId}/settlement");
            if (s.GetProperty("state").GetString() == state) return s;
            if (DateTime.UtcNow > until) throw new TimeoutException($"settlement of job {jobId} never reached {state}: {s}");
            await Task.Delay(100);
        }
    }

    [Theory]
    [MemberData(nameof(Databases.Dialects), MemberType = typeof(Databases))]
    public async Task A_finished_job_is_settled_on_chain_and_shows_in_the_statement(string dialect)
    {
        // The test moves chain time past the challenge window; put it back for the next dialect.
        var snapshot = await chain.SnapshotAsync();
        try { await SettleAsync(dialect); }
        finally { await chain.RevertAsync(snapshot); }
    }

    private async Task SettleAsync(string dialect)
    {
        await using var f = await StartAsync(dialect);
        var escrow = chain.As(ChainFixture.Matcher).Escrow;
        var before = await escrow.BalanceOfQueryAsync(ChainFixture.Consumer.Address);
        var consumer = await f.Client(chain, ChainFixture.Consumer).SignInAsync();
        var (jobId, leaseId, agent) = await RunJobAsync(f, consumer);

        var proposed = await WaitForSettlementAsync(consumer, jobId, "proposed");
        Assert.Equal("met", proposed.GetProperty("verdict").GetString());
        Assert.Equal("1600", proposed.GetProperty("usageMilliNcuSeconds").GetString());
        Assert.StartsWith("0x", proposed.GetProperty("proposeTx").GetString());
        Assert.Equal(JsonValueKind.Null, proposed.GetProperty("charge").ValueKind); // not final yet

        await chain.IncreaseTimeAsync(61);
        var settled = await WaitForSettlementAsync(consumer, jobId, "settled");
        const long charge = 1_600L * ChainFixture.OfferPrice / 3_600_000; // 888
        Assert.Equal(charge.ToString(), settled.GetProperty("charge").GetString());
        Assert.Equal(charge.ToString(), settled.GetProperty("paidToProvider").GetString()); // no fee on this deployment
        Assert.Equal("0", settled.GetProperty("penalty").GetString());
        var lockAmount = long.Parse(settled.GetProperty("lockAmount").GetString()!);
        Assert.Equal((lockAmount - charge).ToString(), settled.GetProperty("refunded").GetString());
        Assert.StartsWith("0x", settled.GetProperty("settleTx").GetString());
        Assert.Equal("met", settled.GetProperty("evidence").GetProperty("verdict").GetString());
        Assert.Equal(before - charge, await escrow.BalanceOfQueryAsync(ChainFixture.Consumer.Address));
        Assert.Equal(5, await escrow.LeaseStateOfQueryAsync(leaseId));
        await consumer.WaitForStatusAsync(jobId, "settled");

        // The finalize gave the offer its capacity back — on chain and in the engine: a job for the
        // offer's whole capacity now matches and leases.
        var whole = MarketClient.Spec(milliNcu: (long)ChainFixture.OfferCapacity);
        var (bid, sig) = consumer.SignBid(whole, maxPrice: ChainFixture.OfferPrice);
        var again = await Markets.JobIdAsync(await consumer.SubmitAsync(whole, bid, sig));
        await consumer.WaitForStatusAsync(again, "leased");

        var me = ChainFixture.Consumer.Address.ToLowerHex();
        var statement = await consumer.Http.GetFromJsonAsync<JsonElement>($"/v1/statements/{me}?format=json");
        var totals = statement.GetProperty("asConsumer");
        Assert.Equal(1, totals.GetProperty("leases").GetInt32());
        Assert.Equal(charge.ToString(), totals.GetProperty("paid").GetString());
        Assert.Equal((lockAmount - charge).ToString(), totals.GetProperty("refunded").GetString());
        var csv = await consumer.Http.GetStringAsync($"/v1/statements/{me}?format=csv");
        Assert.StartsWith(Market.Billing.Statements.Statement.CsvHeader, csv);
        Assert.Contains($"{leaseId},consumer,settled,met,1600,{charge},", csv);
        Assert.Equal(HttpStatusCode.BadRequest, (await consumer.Http.GetAsync($"/v1/statements/{me}?format=xml")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await consumer.Http.GetAsync("/v1/statements/not-an-address")).StatusCode);

        // Another wallet sees neither the job's settlement nor the consumer's statement.
        var other = await f.Client(chain, ChainFixture.OtherConsumer).SignInAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await other.Http.GetAsync($"/v1/jobs/{jobId}/settlement")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.Http.GetAsync($"/v1/statements/{me}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await f.CreateClient().GetAsync($"/v1/statements/{me}")).StatusCode);
        // The provider's statement shows what it earned.
        var provider = await agent.Http.GetFromJsonAsync<JsonElement>($"/v1/statements/{ChainFixture.Provider.Address.ToLowerHex()}");
        Assert.Equal(charge.ToString(), provider.GetProperty("asProvider").GetProperty("earned").GetString());
    }

    /// <summary>Submits a job, waits for its lease, and plays the agent: Running, 1,600 mNCU·s of signed usage, exit 0.</summary>
    private async Task<(long JobId, long LeaseId, MarketClient Agent)> RunJobAsync(MarketApiFactory f, MarketClient consumer)
    {
        var spec = MarketClient.Spec(milliNcu: 800, maxDurationSec: 600);
        var (bid, sig) = consumer.SignBid(spec);
        var jobId = await Markets.JobIdAsync(await consumer.SubmitAsync(spec, bid, sig));
        var leaseId = (await consumer.WaitForStatusAsync(jobId, "leased")).GetProperty("leaseId").GetInt64();
        Assert.Equal("pending", (await consumer.Http.GetFromJsonAsync<JsonElement>($"/v1/jobs/{jobId}/settlement")).GetProperty("state").GetString());

        var agent = await f.Client(chain, ChainFixture.Provider).SignInAsync();
        var lease = Assert.Single((await agent.Http.GetFromJsonAsync<List<LeaseAssignment>>("/v1/agent/leases?wait=10"))!, l => l.LeaseId == leaseId);
        var start = (ulong)lease.StartSec;
        await agent.Http.PostAsJsonAsync($"/v1/agent/leases/{leaseId}/status", new LeaseStatusReport(leaseId, LeaseStatus.Running, null, null));
        var signer = new Market.Chain.Usage.UsageReportSigner(chain.Deployment.ChainId, chain.Deployment.AddressOf("LeaseEscrow"));
        var usage = new Market.Chain.Usage.UsageReport((ulong)leaseId, 1, start, start + 2, 1_600);
        var report = new UsageReport(leaseId, 1, (long)start, (long)start + 2, 1_600, signer.Sign(usage, ChainFixture.Provider).ToHex());
        for (var attempt = 0; ; attempt++)
        {
            // The market judges "the future" by its view of chain time, refreshed once a second.
            var u = await agent.Http.PostAsJsonAsync($"/v1/agent/leases/{leaseId}/usage", report);
            if (u.IsSuccessStatusCode) break;
            var body = await u.Content.ReadAsStringAsync();
            Assert.True(attempt < 5 && body.Contains("usage-infuture"), body);
            await Task.Delay(1_100);
        }
        await agent.Http.PostAsJsonAsync($"/v1/agent/leases/{leaseId}/status", new LeaseStatusReport(leaseId, LeaseStatus.Exited, 0, null));

        return (jobId, leaseId, agent);
    }

    [Fact]
    public async Task A_market_stopped_between_propose_and_finalize_settles_once_after_restart()
    {
        var snapshot = await chain.SnapshotAsync();
        try
        {
            var db = MarketApiFactory.TempSqlite();
            long jobId, leaseId;
            var from = await chain.Client.BlockNumberAsync();
            await using (var f = await StartOnAsync(db))
            {
                var consumer = await f.Client(chain, ChainFixture.Consumer).SignInAsync();
                (jobId, leaseId, _) = await RunJobAsync(f, consumer);
                await WaitForSettlementAsync(consumer, jobId, "proposed");
            }
            await chain.IncreaseTimeAsync(61);
            await using (var f = await StartOnAsync(db))
            {
                var consumer = await f.Client(chain, ChainFixture.Consumer).SignInAsync();
                var settled = await WaitForSettlementAsync(consumer, jobId, "settled");
                Assert.Equal("888", settled.GetProperty("charge").GetString());
            }
            var escrow = chain.As(ChainFixture.Matcher).Escrow;
            var proposals = await escrow.GetSettlementProposedEventsAsync(from);
            Assert.Equal(1, proposals.SelectMany(p => p.Event.Entries).Count(e => Market.Chain.Contracts.SettlementEntry.Unpack(e).LeaseId == (ulong)leaseId));
            Assert.Single(await escrow.GetBatchFinalizedEventsAsync(from));
            Assert.Equal(5, await escrow.LeaseStateOfQueryAsync(leaseId));
        }
        finally { await chain.RevertAsync(snapshot); }
    }

    [Fact]
    public async Task An_agent_that_goes_silent_is_breached_and_its_stake_pays_the_consumer()
    {
        var snapshot = await chain.SnapshotAsync();
        try
        {
            await using var f = await StartOnAsync(MarketApiFactory.TempSqlite(), new() { ["Market:Billing:HeartbeatTimeoutSec"] = "2" });
            var admin = chain.As(ChainFixture.Matcher);
            var before = await admin.Escrow.BalanceOfQueryAsync(ChainFixture.Consumer.Address);
            var stakeBefore = await admin.Registry.StakeOfQueryAsync(ChainFixture.Provider.Address);
            var consumer = await f.Client(chain, ChainFixture.Consumer).SignInAsync();
            var spec = MarketClient.Spec(milliNcu: 800, maxDurationSec: 600);
            var (bid, sig) = consumer.SignBid(spec);
            var jobId = await Markets.JobIdAsync(await consumer.SubmitAsync(spec, bid, sig));
            var leaseId = (await consumer.WaitForStatusAsync(jobId, "leased")).GetProperty("leaseId").GetInt64();
            var agent = await f.Client(chain, ChainFixture.Provider).SignInAsync();
            await agent.Http.PostAsJsonAsync($"/v1/agent/leases/{leaseId}/status", new LeaseStatusReport(leaseId, LeaseStatus.Running, null, null));
            // …and nothing more: no heartbeat, no usage, no end.

            var proposed = await WaitForSettlementAsync(consumer, jobId, "proposed");
            Assert.Equal("breached", proposed.GetProperty("verdict").GetString());
            var heartbeat = proposed.GetProperty("evidence").GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("rule").GetString() == "heartbeat");
            Assert.False(heartbeat.GetProperty("ok").GetBoolean());

            await chain.IncreaseTimeAsync(61);
            var settled = await WaitForSettlementAsync(consumer, jobId, "settled");
            var lockAmount = System.Numerics.BigInteger.Parse(settled.GetProperty("lockAmount").GetString()!);
            var penalty = (lockAmount * 500 + 9_999) / 10_000; // the offer's 5 %, rounded up
            Assert.Equal(penalty.ToString(), settled.GetProperty("penalty").GetString());
            Assert.Equal("0", settled.GetProperty("charge").GetString());
            Assert.Equal(before + penalty, await admin.Escrow.BalanceOfQueryAsync(ChainFixture.Consumer.Address));
            Assert.Equal(stakeBefore - penalty, await admin.Registry.StakeOfQueryAsync(ChainFixture.Provider.Address));
        }
        finally { await chain.RevertAsync(snapshot); }
    }
}
