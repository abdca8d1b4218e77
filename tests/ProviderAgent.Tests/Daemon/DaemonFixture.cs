using System.Numerics;
using Market.Chain;
using Market.Chain.Accounts;
using Market.Chain.Contracts;
using Market.Chain.Crypto;
using Market.Chain.Usage;
using Market.TestSupport;
using ProviderAgent.Config;
using ProviderAgent.Daemon;
using ProviderAgent.Leases;
using ProviderAgent.Offers;
using ProviderAgent.Runtime.Runc;
using ProviderAgent.Staking;
using ProviderAgent.State;
using ProviderAgent.Tests.Support;

namespace ProviderAgent.Tests.Daemon;

/// <summary>
/// The whole market on this machine: a Hardhat node with our contracts; the provider (development
/// key #4) registered through <see cref="ProviderChain"/> with 50,000 mNCU attested and a grade-3
/// offer; a consumer (#10) with an escrow deposit; the real market API as a process; and an agent
/// data directory with the busybox image as busybox:latest, a private runc root and cgroup parent.
/// </summary>
public sealed class DaemonFixture : IAsyncLifetime
{
    public static readonly EthKey Matcher = DevelopmentKeys.Key(1);
    public static readonly EthKey Provider = DevelopmentKeys.Key(4);
    public static readonly EthKey Consumer = DevelopmentKeys.Key(10);
    public HardhatNode Chain { get; } = new();
    public RuncFixture Runc { get; } = new();
    public MarketApiProcess Market { get; private set; } = null!;
    public TempDir Dir { get; } = new();

    public MarketContracts As(EthKey key) => new MarketContracts(Chain.Deployment, Chain.Client).As(new TransactionSender(Chain.Client, key, Chain.Deployment.ChainId));

    public AgentConfig Config => new()
    {
        MilliNcu = 50_000, MemoryMb = 4_096, Address = Provider.Address.ToString(),
        Daemon = new DaemonConfig { UsageIntervalSec = 1, HeartbeatSec = 1, LongPollSec = 2, LogFlushMs = 100 },
    };

    public async Task InitializeAsync()
    {
        await Task.WhenAll(Chain.InitializeAsync(), Runc.InitializeAsync());
        Runc.Images.Tag("busybox:latest", Runc.Busybox.Digest);
        var provider = new ProviderChain(As(Provider));
        await provider.RegisterAsync("", new byte[32], null, usePermit: true, default);
        await provider.AttestAsync(50_000, new byte[32], default);
        var offerConfig = Config with { Pricing = new PricingConfig { PricePerNcuHour = 2_000_000 }, Regions = ["eu-west"] };
        await provider.PostOffersAsync(OfferPlanner.Plan(9_000, 0, offerConfig), offerConfig, default);
        var c = As(Consumer);
        await c.Token.ApproveRequestAndWaitForReceiptAsync(c.Escrow.ContractAddress, 500_000_000);
        await c.Escrow.DepositRequestAndWaitForReceiptAsync(500_000_000);
        Market = await MarketApiProcess.StartAsync(Chain, Dir.Path, Matcher.PrivateKeyHex);
    }

    public ConsumerClient NewConsumer() => new(Market.Client(), Consumer, new Market.Chain.Bids.BidSigner(Chain.Deployment.ChainId, Chain.Deployment.AddressOf("LeaseEscrow")));

    public ChainLeaseReader ChainReader() => new(new MarketContracts(Chain.Deployment, Chain.Client));

    /// <summary>An agent daemon over the shared data directory, as `provider-agent run` builds it.</summary>
    public (AgentService Service, RuncRuntime Runtime, List<string> Log) NewAgent(HttpClient? market = null)
    {
        var log = new List<string>();
        var state = new AgentStateStore(Runc.State.DatabasePath);
        var runtime = Runc.NewRuntime();
        var service = new AgentService(Config, state, runtime, Runc.Images, Provider, market ?? Market.Client(), ChainReader(),
            new UsageReportSigner(Chain.Deployment.ChainId, Chain.Deployment.AddressOf("LeaseEscrow")), line => { lock (log) log.Add(line); });
        return (service, runtime, log);
    }

    public async Task DisposeAsync()
    {
        if (Market is not null) await Market.DisposeAsync();
        await Runc.DisposeAsync();
        await Chain.DisposeAsync();
        Dir.Dispose();
    }
}
