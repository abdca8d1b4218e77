using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Market.Api.Tests.Infrastructure;
using Market.Chain;
using Market.Chain.Bids;
using Market.Chain.Crypto;
using Market.Chain.Json;
using Market.Protocol.Agents;

namespace Market.Api.Tests.Functional;

/// <summary>
/// The whole market path on a real Hardhat node: a signed job is accepted, matched against the
/// provider's on-chain offer, a lease is opened on chain by the MATCHER, and the provider's agent
/// receives it by long-poll, runs it (simulated here — the agent's own tests run real containers)
/// and reports status, logs and a result the consumer can read.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class MarketFlowTests(PostgresServer pg, ChainFixture chain) : IClassFixture<ChainFixture>
{
    private async Task<MarketApiFactory> StartMarketAsync(string dialect) =>
        await Markets.StartAsync(chain, await Databases.FreshAsync(dialect, pg));

    private MarketClient Client(MarketApiFactory f, EthKey key) => f.Client(chain, key);

    [Theory]
    [MemberData(nameof(Databases.Dialects), MemberType = typeof(Databases))]
    public async Task A_signed_job_becomes_an_on_chain_lease_that_the_agent_runs(string dialect)
    {
        await using var f = await StartMarketAsync(dialect);
        var consumer = await Client(f, ChainFixture.Consumer).SignInAsync();
        var spec = MarketClient.Spec(milliNcu: 800);
        var (bid, sig) = consumer.SignBid(spec);
        var r = await consumer.SubmitAsync(spec, bid, sig);
        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        var jobId = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetInt64();

        var job = await consumer.WaitForStatusAsync(jobId, "leased");
        var leaseId = job.GetProperty("leaseId").GetInt64();
        Assert.Equal(ChainFixture.OfferPrice.ToString(), job.GetProperty("pricePerNcuHour").GetString()); // resting offer's price
        var onChain = await chain.As(ChainFixture.Matcher).Escrow.GetLeaseQueryAsync(leaseId);
        Assert.Equal(ChainFixture.Consumer.Address, onChain.Consumer);
        Assert.Equal(ChainFixture.Provider.Address, onChain.Provider);
        Assert.Equal(800UL, onChain.MilliNcu);

        var agent = await Client(f, ChainFixture.Provider).SignInAsync();
        var leases = await agent.Http.GetFromJsonAsync<List<LeaseAssignment>>("/v1/agent/leases?wait=10");
        var lease = Assert.Single(leases!, l => l.LeaseId == leaseId);
        // The agent's check: the spec it got hashes to the jobSpecHash the consumer signed.
        Assert.Equal(lease.JobSpecHash, Hex.Encode(Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes(CanonicalJson.Canonicalize(lease.SpecJson)))));
        Assert.Equal(bid["jobSpecHash"]!.GetValue<string>(), lease.JobSpecHash);

        Assert.Equal(HttpStatusCode.NoContent, (await agent.Http.PostAsJsonAsync($"/v1/agent/leases/{leaseId}/status", new LeaseStatusReport(leaseId, LeaseStatus.Running, null, null))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await agent.Http.PostAsJsonAsync($"/v1/agent/leases/{leaseId}/logs", new LogChunk(leaseId, 1, "stdout", "42\n"))).StatusCode);

        // Signed usage: accepted once, a retry is harmless, more than reserved × interval is refused.
        var usageSigner = new Market.Chain.Usage.UsageReportSigner(chain.Deployment.ChainId, chain.Deployment.AddressOf("LeaseEscrow"));
        var start = (ulong)lease.StartSec;
        UsageReport Usage(ulong seq, ulong from, ulong to, ulong m) =>
            new((long)leaseId, (long)seq, (long)from, (long)to, (long)m,
                usageSigner.Sign(new Market.Chain.Usage.UsageReport((ulong)leaseId, seq, from, to, m), ChainFixture.Provider).ToHex());
        var ok = Usage(1, start, start + 1, 800);
        var first = await agent.Http.PostAsJsonAsync($"/v1/agent/leases/{leaseId}/usage", ok);
        Assert.True(first.StatusCode == HttpStatusCode.NoContent, await first.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await agent.Http.PostAsJsonAsync($"/v1/agent/leases/{leaseId}/usage", ok)).StatusCode);
        var over = await agent.Http.PostAsJsonAsync($"/v1/agent/leases/{leaseId}/usage", Usage(2, start + 1, start + 2, 801));
        Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
        Assert.Contains("usage-overrate", await over.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await agent.Http.PutAsync($"/v1/agent/leases/{leaseId}/result", new ByteArrayContent("42"u8.ToArray()))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await agent.Http.PostAsJsonAsync($"/v1/agent/leases/{leaseId}/status", new LeaseStatusReport(leaseId, LeaseStatus.Exited, 0, null))).StatusCode);

        job = await consumer.WaitForStatusAsync(jobId, "exited");
        var statuses = job.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("status").GetString()).ToList();
        // It matched on arrival, so it never rested ("open").
        Assert.True(statuses.Where(s => s != "opening").SequenceEqual(["submitted", "matched", "leased", "running", "exited"]), job.ToString());
        var logs = await consumer.Http.GetFromJsonAsync<JsonElement>($"/v1/jobs/{jobId}/logs");
        Assert.Equal("42\n", logs[0].GetProperty("data").GetString());
        Assert.Equal("42", await consumer.Http.GetStringAsync($"/v1/jobs/{jobId}/result"));
        // A leased job is no longer offered to the agent.
        Assert.DoesNotContain(await agent.Http.GetFromJsonAsync<List<LeaseAssignment>>("/v1/agent/leases?wait=0") ?? [], l => l.LeaseId == leaseId);

        // Someone else sees nothing of it, and cannot report on the provider's lease.
        var other = await Client(f, ChainFixture.OtherConsumer).SignInAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await other.Http.GetAsync($"/v1/jobs/{jobId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Http.PostAsJsonAsync($"/v1/agent/leases/{leaseId}/logs", new LogChunk(leaseId, 2, "stdout", "x"))).StatusCode);

        // The provider list holds the one registered provider, not every address an event touched.
        var providers = await consumer.Http.GetFromJsonAsync<JsonElement>("/v1/providers");
        var listed = Assert.Single(providers.EnumerateArray());
        Assert.Equal(ChainFixture.Provider.Address.ToString(), listed.GetProperty("address").GetString(), ignoreCase: true);
        Assert.Equal("active", listed.GetProperty("status").GetString());
    }
}
