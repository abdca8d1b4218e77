using Market.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Market.Chain.Bids;

namespace Market.Api.Tests.Functional;

/// <summary>One market over its own chain, with a signed-in consumer, another consumer and the provider's agent.</summary>
public sealed class BadInputFixture : IAsyncLifetime
{
    public ChainFixture Chain { get; } = new();
    public MarketApiFactory Factory { get; private set; } = null!;
    public MarketClient Consumer { get; private set; } = null!;
    public MarketClient Other { get; private set; } = null!;
    public MarketClient Agent { get; private set; } = null!;
    public BidSigner Bids => new(Chain.Deployment.ChainId, Chain.Deployment.AddressOf("LeaseEscrow"));

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)Chain).InitializeAsync();
        Factory = new MarketApiFactory(MarketApiFactory.TempSqlite());
        Factory.Settings["Market:Chain:RpcUrl"] = Chain.RpcUrl;
        Factory.Settings["Market:Chain:DeploymentFile"] = Chain.DeploymentFile;
        Factory.Settings["Market:Chain:MatcherKey"] = ChainFixture.Matcher.PrivateKeyHex;
        Factory.Settings["Market:Chain:PollMilliseconds"] = "50";
        Factory.Settings["Market:RateLimit:PerSecond"] = "10000";
        Consumer = await new MarketClient(Factory.CreateClient(), ChainFixture.Consumer, Bids).SignInAsync();
        Other = await new MarketClient(Factory.CreateClient(), ChainFixture.OtherConsumer, Bids).SignInAsync();
        Agent = await new MarketClient(Factory.CreateClient(), ChainFixture.Provider, Bids).SignInAsync();
        // The indexer must have seen the consumer's deposit before escrow checks mean anything.
        await Factory.Services.GetRequiredService<Market.Api.Application.Indexing.ChainIndexer>().CaughtUp.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await ((IAsyncLifetime)Chain).DisposeAsync();
    }
}
