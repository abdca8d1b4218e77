using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Market.Api.Application.Indexing;
using Market.Api.Tests.Infrastructure;
using Market.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Market.Api.Tests.Functional;

/// <summary>The chain's RPC endpoint goes away and comes back: the market says so, waits, and loses nothing.</summary>
public sealed class OutageTests(ChainFixture chain) : IClassFixture<ChainFixture>
{
    [Fact]
    public async Task The_indexer_rides_out_an_rpc_outage_and_catches_up()
    {
        await using var proxy = new TcpProxy(chain.Port);
        var f = new MarketApiFactory(MarketApiFactory.TempSqlite());
        f.Settings["Market:Chain:RpcUrl"] = proxy.Url;
        f.Settings["Market:Chain:DeploymentFile"] = chain.DeploymentFile;
        f.Settings["Market:Chain:PollMilliseconds"] = "50";
        await using var _ = f;
        var http = f.CreateClient();
        var indexer = f.Services.GetRequiredService<ChainIndexer>();
        await indexer.CaughtUp.WaitAsync(TimeSpan.FromSeconds(60));

        proxy.Cut();
        // While the RPC is unreachable, chain activity goes on (a deposit through the node directly).
        var consumer = chain.As(ChainFixture.OtherConsumer);
        await consumer.Token.ApproveRequestAndWaitForReceiptAsync(consumer.Escrow.ContractAddress, 1_234_567);
        await consumer.Escrow.DepositRequestAndWaitForReceiptAsync(1_234_567);
        var head = (long)await chain.Client.BlockNumberAsync();

        await WaitAsync(async () => (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable, "readiness to report the outage");
        var ready = await http.GetFromJsonAsync<JsonElement>("/health/live"); // liveness is unaffected
        Assert.Equal("live", ready.GetProperty("status").GetString());
        Assert.True(indexer.IndexedBlock < head);

        proxy.Restore();
        await WaitAsync(() => Task.FromResult(indexer.IndexedBlock >= head), "the indexer to catch up");
        await WaitAsync(async () => (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, "readiness to recover");
        var events = await f.Services.GetRequiredService<Market.Api.Infrastructure.Data.Database>().OpenAsync();
        await using (events)
        {
            var deposits = await Dapper.SqlMapper.ExecuteScalarAsync<long>(events, "SELECT COUNT(*) FROM chain_events WHERE name = 'Deposited'");
            Assert.Equal(3, deposits); // two from the fixture, one during the outage — each exactly once
        }
    }

    [Fact]
    public async Task A_submission_during_an_rpc_outage_answers_503_and_stores_nothing()
    {
        await using var proxy = new TcpProxy(chain.Port);
        var f = new MarketApiFactory(MarketApiFactory.TempSqlite());
        f.Settings["Market:Chain:RpcUrl"] = proxy.Url;
        f.Settings["Market:Chain:DeploymentFile"] = chain.DeploymentFile;
        f.Settings["Market:Chain:MatcherKey"] = ChainFixture.Matcher.PrivateKeyHex;
        f.Settings["Market:Chain:PollMilliseconds"] = "50";
        f.Settings["Market:Auth:ChainId"] = chain.Deployment.ChainId.ToString();
        await using var _ = f;
        await f.Services.GetRequiredService<ChainIndexer>().CaughtUp.WaitAsync(TimeSpan.FromSeconds(60));
        var consumer = await f.Client(chain, ChainFixture.Consumer).SignInAsync();

        proxy.Cut();
        await Task.Delay(1_100); // past the market's one-second cache of chain time
        var spec = MarketClient.Spec(milliNcu: 600);
        var (bid, sig) = consumer.SignBid(spec);
        var r = await consumer.SubmitAsync(spec, bid, sig);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode); // was a bare 500
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("/chain-unavailable", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        proxy.Restore();
        Assert.Equal(0, (await consumer.Http.GetFromJsonAsync<JsonElement>("/v1/jobs")).GetArrayLength());
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("timed out waiting for " + what);
            await Task.Delay(100);
        }
    }
}
