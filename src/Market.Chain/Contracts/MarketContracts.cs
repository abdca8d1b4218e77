using Market.Chain.Accounts;
using Market.Chain.Bids;
using Market.Chain.Contracts.LeaseEscrow;
using Market.Chain.Contracts.OfferBook;
using Market.Chain.Contracts.ProviderRegistry;
using Market.Chain.Contracts.TestStablecoin;
using Market.Chain.Rpc;

namespace Market.Chain.Contracts;

/// <summary>
/// The four deployed contracts of one deployment file as typed services, plus the Bid signer for
/// that chain and escrow. Pass a <see cref="TransactionSender"/> to send, or none to only query.
/// </summary>
public sealed class MarketContracts
{
    public MarketContracts(Deployment deployment, EthClient client, TransactionSender? sender = null)
    {
        Deployment = deployment;
        Token = new TestStablecoinService(client, deployment.AddressOf("TestStablecoin"), sender);
        Registry = new ProviderRegistryService(client, deployment.AddressOf("ProviderRegistry"), sender);
        OfferBook = new OfferBookService(client, deployment.AddressOf("OfferBook"), sender);
        Escrow = new LeaseEscrowService(client, deployment.AddressOf("LeaseEscrow"), sender);
        Bids = new BidSigner(deployment.ChainId, Escrow.ContractAddress);
    }

    public Deployment Deployment { get; }
    /// <summary>The payment and stake token (any ERC-20 with permit; TestStablecoin's ABI).</summary>
    public TestStablecoinService Token { get; }
    public ProviderRegistryService Registry { get; }
    public OfferBookService OfferBook { get; }
    public LeaseEscrowService Escrow { get; }
    public BidSigner Bids { get; }

    /// <summary>The same contracts seen through another account.</summary>
    public MarketContracts As(TransactionSender sender) => new(Deployment, sender.Client, sender);
}
