using Market.Api.Application;
using Market.Chain;
using Market.Chain.Accounts;
using Market.Chain.Bids;
using Market.Chain.Contracts;
using Market.Chain.Crypto;
using Market.Chain.Rpc;
using Microsoft.Extensions.Options;

namespace Market.Api.Infrastructure.Chain;

/// <summary>
/// The market's view of its chain: the deployment, an RPC client, the typed contracts (with the
/// MATCHER key as sender when one is configured) and the Bid signer for this chain and escrow.
/// Without configuration the API still serves what needs no chain; chain-bound endpoints then
/// answer 503 problem details.
/// </summary>
public sealed class ChainContext : IDisposable
{
    private readonly Lazy<Loaded?> _loaded;

    public sealed record Loaded(Deployment Deployment, EthClient Client, MarketContracts Read, MarketContracts? Matcher, EthKey? SettlerKey)
    {
        public BidSigner Bids => Read.Bids;
        public Address Escrow => Read.Escrow.ContractAddress;
        public Market.Chain.Usage.UsageReportSigner UsageSigner { get; } = new(Deployment.ChainId, Read.Escrow.ContractAddress);
    }

    public ChainContext(IOptions<ChainOptions> options)
    {
        var o = options.Value;
        _loaded = new Lazy<Loaded?>(() => o.IsConfigured ? Load(o) : null, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public bool IsConfigured => _loaded.Value is not null;

    /// <summary>The loaded chain, or a 503 problem when the market runs without one.</summary>
    public Loaded Require() => _loaded.Value
        ?? throw new MarketException(StatusCodes.Status503ServiceUnavailable, "chain-not-configured",
            "this market is not connected to a chain (set Market:Chain:RpcUrl and Market:Chain:DeploymentFile)");

    public Loaded? TryGet() => _loaded.Value;

    private static Loaded Load(ChainOptions o)
    {
        var deployment = Deployment.Load(o.DeploymentFile!);
        var client = new EthClient(o.RpcUrl!);
        var read = new MarketContracts(deployment, client);
        var matcherKey = ReadKey(o.MatcherKey, o.MatcherKeyFile, "matcher");
        MarketContracts? matcher = null;
        if (matcherKey is not null)
            matcher = read.As(new TransactionSender(client, matcherKey, deployment.ChainId));
        return new Loaded(deployment, client, read, matcher, ReadKey(o.SettlerKey, o.SettlerKeyFile, "settler"));
    }

    private static EthKey? ReadKey(string? hex, string? file, string role)
    {
        var text = !string.IsNullOrWhiteSpace(hex) ? hex : !string.IsNullOrWhiteSpace(file) ? File.ReadAllText(file) : null;
        if (text is null) return null;
        try { return new EthKey(text.Trim()); }
        catch (ChainException) { throw new InvalidOperationException($"the configured {role} key is not a 32-byte hex private key"); }
    }

    public void Dispose()
    {
        if (_loaded.IsValueCreated) _loaded.Value?.Client.Dispose();
    }
}
