using System.Net.Http.Json;
using System.Text.Json;
using Market.Api.Tests.Infrastructure;
using Market.Chain.Bids;
using Market.Chain.Crypto;

namespace Market.Api.Tests.Functional;

/// <summary>Starts the real market host against a chain fixture and waits until it is ready to trade.</summary>
public static class Markets
{
    public static async Task<MarketApiFactory> StartAsync(ChainFixture chain, string connectionString, int minOffers = 1)
    {
        var f = new MarketApiFactory(connectionString);
        f.Settings["Market:Chain:RpcUrl"] = chain.RpcUrl;
        f.Settings["Market:Chain:DeploymentFile"] = chain.DeploymentFile;
        f.Settings["Market:Chain:MatcherKey"] = ChainFixture.Matcher.PrivateKeyHex;
        f.Settings["Market:Chain:PollMilliseconds"] = "50";
        f.Settings["Market:Auth:ChainId"] = chain.Deployment.ChainId.ToString();
        f.Settings["Market:RateLimit:PerSecond"] = "10000";
        _ = f.Server;
        var http = f.CreateClient();
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var r = await http.GetFromJsonAsync<JsonElement>("/health/ready");
            if (r.GetProperty("liveOffers").GetInt32() >= minOffers) return f;
            if (DateTime.UtcNow > until) throw new TimeoutException("the market never saw the provider's offers: " + r);
            await Task.Delay(50);
        }
    }

    public static MarketClient Client(this MarketApiFactory f, ChainFixture chain, EthKey key) =>
        new(f.CreateClient(), key, new BidSigner(chain.Deployment.ChainId, chain.Deployment.AddressOf("LeaseEscrow")));

    public static async Task<long> JobIdAsync(HttpResponseMessage r)
    {
        var body = await r.Content.ReadAsStringAsync();
        if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"submission refused ({(int)r.StatusCode}): {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("jobId").GetInt64();
    }
}
