using System.Net.Http.Json;
using Market.Chain.Accounts;
using Market.Chain.Contracts;
using Market.Chain.Crypto;
using Market.TestSupport;

namespace Market.Dashboard.Tests;

/// <summary>
/// The stack the dashboard is tested against: a Hardhat node with our contracts, one provider
/// (development key #4) with three on-chain offers in two markets, a consumer (#10) with an escrow
/// deposit, and the real Market.Api process serving the dashboard. Shared by the whole collection.
/// </summary>
public sealed class DashboardStack : IAsyncLifetime
{
    public static readonly EthKey Matcher = DevelopmentKeys.Key(1);
    public static readonly EthKey Provider = DevelopmentKeys.Key(4);
    public const int ConsumerIndex = 10;

    /// <summary>(grade, capacity mNCU, price per NCU-hour) of each Logical offer posted.</summary>
    public static readonly (byte Grade, ulong Capacity, long Price)[] Offers = [(3, 9_000, 2_000_000), (3, 5_000, 2_500_000), (2, 20_000, 1_500_000)];

    private readonly string _dir = Directory.CreateTempSubdirectory("dashboard-").FullName;
    public HardhatNode Chain { get; private set; } = null!;
    public MarketApiProcess Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Chain = await HardhatNode.StartAsync();
        var contracts = new MarketContracts(Chain.Deployment, Chain.Client);
        MarketContracts As(EthKey k) => contracts.As(new TransactionSender(Chain.Client, k, Chain.Deployment.ChainId));

        var p = As(Provider);
        const long stake = 1_000_000_000; // 1,000 tokens
        await p.Token.ApproveRequestAndWaitForReceiptAsync(p.Registry.ContractAddress, stake);
        await p.Registry.RegisterRequestAndWaitForReceiptAsync("https://provider.example/meta.json", new byte[32], stake);
        await p.Registry.AttestCapacityRequestAndWaitForReceiptAsync(0, 50_000, new byte[32]);
        var region = new byte[32];
        "eu-west"u8.CopyTo(region);
        var expires = (ulong)DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeSeconds();
        foreach (var (grade, capacity, price) in Offers)
            await p.OfferBook.PostOfferRequestAndWaitForReceiptAsync(0, grade, capacity, price, 3_600, 9_900, 500, region, new byte[32], expires);

        var c = As(DevelopmentKeys.Key(ConsumerIndex));
        await c.Token.ApproveRequestAndWaitForReceiptAsync(c.Escrow.ContractAddress, 500_000_000);
        await c.Escrow.DepositRequestAndWaitForReceiptAsync(500_000_000);

        Api = await MarketApiProcess.StartAsync(Chain, _dir, Matcher.PrivateKeyHex);
        // Ready means one live offer; the figures compared in the browser need all of them.
        using var http = Api.Client();
        var until = DateTime.UtcNow.AddSeconds(30);
        while ((await http.GetFromJsonAsync<System.Text.Json.JsonElement>("/health/ready")).GetProperty("liveOffers").GetInt32() < Offers.Length)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("the market never saw all offers: " + Api.Output);
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        if (Api is not null) await Api.DisposeAsync();
        if (Chain is not null) await Chain.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardStack>
{
    public const string Name = "dashboard stack";
}
