using Market.Chain.Accounts;
using Market.Chain.Contracts;
using Market.TestSupport;

namespace Market.Cli.Tests.Functional;

/// <summary>A Hardhat node with our contracts and a real Market.Api process on it (SQLite), shared by the functional tests.</summary>
public sealed class CliStack : IAsyncLifetime
{
    public HardhatNode Chain { get; private set; } = null!;
    public MarketApiProcess Api { get; private set; } = null!;
    public string Dir { get; } = Directory.CreateTempSubdirectory("market-cli-").FullName;

    public async Task InitializeAsync()
    {
        Chain = await HardhatNode.StartAsync();
        await PostOfferAsync();
        Api = await MarketApiProcess.StartAsync(Chain, Dir, DevelopmentKeys.Key(1).PrivateKeyHex, requireLiveOffers: true);
    }

    /// <summary>A registered provider (development key #4) with a grade-3 Logical offer, so the market has something to show.</summary>
    private async Task PostOfferAsync()
    {
        var p = new MarketContracts(Chain.Deployment, Chain.Client).As(new TransactionSender(Chain.Client, DevelopmentKeys.Key(4), Chain.Deployment.ChainId));
        var stake = 1_000_000_000;
        await p.Token.ApproveRequestAndWaitForReceiptAsync(p.Registry.ContractAddress, stake);
        await p.Registry.RegisterRequestAndWaitForReceiptAsync("https://provider.example/meta.json", new byte[32], stake);
        await p.Registry.AttestCapacityRequestAndWaitForReceiptAsync(0, 50_000, new byte[32]);
        var region = new byte[32];
        "eu-west"u8.CopyTo(region);
        await p.OfferBook.PostOfferRequestAndWaitForReceiptAsync(0, 3, 9_000, 2_000_000, 3_600, 9_900, 500, region, new byte[32],
            (ulong)DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeSeconds());
    }

    /// <summary>A CLI runner with its own config directory, pointed at this stack through the environment.</summary>
    public CliRunner Runner(string passphrase)
    {
        var config = Directory.CreateDirectory(Path.Combine(Dir, "cfg-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        return new CliRunner(config, new Dictionary<string, string>
        {
            ["MARKET_API"] = Api.BaseUrl, ["MARKET_RPC"] = Chain.RpcUrl, ["MARKET_DEPLOYMENT"] = Chain.DeploymentFile,
            ["MARKET_PASSPHRASE"] = passphrase,
        });
    }

    public async Task DisposeAsync()
    {
        if (Api is not null) await Api.DisposeAsync();
        if (Chain is not null) await Chain.DisposeAsync();
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class CliStackCollection : ICollectionFixture<CliStack>
{
    public const string Name = "cli stack";
}
