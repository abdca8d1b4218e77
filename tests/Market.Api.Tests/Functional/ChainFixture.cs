using System.Numerics;
using Market.Chain;
using Market.Chain.Accounts;
using Market.Chain.Contracts;
using Market.Chain.Crypto;
using Market.TestSupport;

namespace Market.Api.Tests.Functional;

/// <summary>
/// A Hardhat node with our contracts, one registered provider (development key #4) with a grade-3
/// Logical offer, and two consumers (#10, #11) with escrow deposits. Shared by a test class.
/// </summary>
public sealed class ChainFixture : HardhatNode, IAsyncLifetime
{
    public static readonly EthKey Matcher = DevelopmentKeys.Key(1);
    public static readonly EthKey Provider = DevelopmentKeys.Key(4);
    public static readonly EthKey Consumer = DevelopmentKeys.Key(10);
    public static readonly EthKey OtherConsumer = DevelopmentKeys.Key(11);

    public const long OfferPrice = 2_000_000;      // 2 tokens per NCU-hour
    public const ulong OfferCapacity = 9_000;      // mNCU, grade 3
    public BigInteger OfferId { get; private set; }

    public MarketContracts As(EthKey key) => new MarketContracts(Deployment, Client).As(new TransactionSender(Client, key, Deployment.ChainId));

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var p = As(Provider);
        var stake = 1_000_000_000; // 1,000 tokens
        await p.Token.ApproveRequestAndWaitForReceiptAsync(p.Registry.ContractAddress, stake);
        await p.Registry.RegisterRequestAndWaitForReceiptAsync("https://provider.example/meta.json", new byte[32], stake);
        await p.Registry.AttestCapacityRequestAndWaitForReceiptAsync(0, 50_000, new byte[32]);
        var region = new byte[32];
        "eu-west"u8.CopyTo(region);
        var receipt = await p.OfferBook.PostOfferRequestAndWaitForReceiptAsync(0, 3, OfferCapacity, OfferPrice, 3_600, 9_900, 500, region, new byte[32],
            (ulong)DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeSeconds());
        OfferId = EventDecoding.DecodeSingle<Market.Chain.Contracts.OfferBook.ContractDefinition.OfferPostedEventDTO>(receipt).OfferId;
        foreach (var consumer in new[] { Consumer, OtherConsumer })
        {
            var c = As(consumer);
            await c.Token.ApproveRequestAndWaitForReceiptAsync(c.Escrow.ContractAddress, 500_000_000);
            await c.Escrow.DepositRequestAndWaitForReceiptAsync(500_000_000);
        }
    }

    private string? _clean;

    /// <summary>Puts the chain back to how the fixture set it up (evm_snapshot/evm_revert), for tests that change it.</summary>
    public async Task ResetAsync()
    {
        if (_clean is not null) await RevertAsync(_clean);
        _clean = await SnapshotAsync();
    }

    Task IAsyncLifetime.InitializeAsync() => InitializeAsync();
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
