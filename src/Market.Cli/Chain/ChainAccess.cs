using System.Numerics;
using System.Text.Json.Nodes;
using Market.Chain;
using Market.Chain.Accounts;
using Market.Chain.Contracts;
using Market.Chain.Crypto;
using Market.Chain.Rpc;
using Market.Cli.Cli;

namespace Market.Cli.Chain;

/// <summary>
/// The deployment file and the RPC node, each required only by the commands that need it. Also
/// remembers the block of this wallet's last deposit, so a submit right after it can wait for the
/// API's indexer to reach that block.
/// </summary>
internal sealed class ChainAccess(string? rpcUrl, string? deploymentFile, string configDirectory)
{
    private Deployment? _deployment;
    private EthClient? _client;

    public bool HasRpc => rpcUrl is not null;
    public bool HasDeployment => deploymentFile is not null;

    public Deployment Deployment
    {
        get
        {
            if (_deployment is not null) return _deployment;
            if (deploymentFile is null) throw CliException.Usage("this command needs --deployment FILE (or MARKET_DEPLOYMENT): the deployments/*.json of scripts/deploy.js");
            if (!File.Exists(deploymentFile)) throw CliException.Usage($"deployment file {deploymentFile} does not exist");
            try { return _deployment = Deployment.Load(deploymentFile); }
            catch (ChainException e) { throw CliException.Usage(e.Message); }
        }
    }

    public EthClient Client => _client ??= rpcUrl is null
        ? throw CliException.Usage("this command needs --rpc URL (or MARKET_RPC)")
        : new EthClient(rpcUrl);

    /// <summary>The contracts, checked to be on the chain the RPC node serves; sending as <paramref name="key"/> when given.</summary>
    public async Task<MarketContracts> ContractsAsync(EthKey? key, CancellationToken ct)
    {
        var deployment = Deployment;
        var chainId = await Client.ChainIdAsync(ct);
        if (chainId != deployment.ChainId)
            throw CliException.Usage($"the RPC node serves chain {chainId} but the deployment file is for chain {deployment.ChainId}");
        var contracts = new MarketContracts(deployment, Client);
        return key is null ? contracts : contracts.As(new TransactionSender(Client, key, chainId));
    }

    public static async Task<int> DecimalsAsync(MarketContracts c, CancellationToken ct) => await c.Token.DecimalsQueryAsync(null, ct);

    /// <summary>Wallet token balance and escrow account (free balance, locked, open leases).</summary>
    public static async Task<Balances> BalancesAsync(MarketContracts c, Address account, CancellationToken ct)
    {
        var decimals = await DecimalsAsync(c, ct);
        var wallet = await c.Token.BalanceOfQueryAsync(account, null, ct);
        var escrow = await c.Escrow.AccountOfQueryAsync(account, null, ct);
        return new Balances(account.ToString(), decimals, wallet, escrow.Balance, escrow.Locked, escrow.OpenLeases);
    }

    private string DepositsFile => Path.Combine(configDirectory, "deposits.json");

    public void RememberDeposit(Address account, ulong block)
    {
        Directory.CreateDirectory(configDirectory);
        var all = LoadDeposits();
        all[account.ToLowerHex()] = block;
        File.WriteAllText(DepositsFile, all.ToJsonString());
    }

    public ulong LastDepositBlock(Address account) =>
        LoadDeposits()[account.ToLowerHex()]?.GetValue<ulong>() ?? 0;

    private JsonObject LoadDeposits()
    {
        try { return File.Exists(DepositsFile) ? JsonNode.Parse(File.ReadAllText(DepositsFile)) as JsonObject ?? [] : []; }
        catch (System.Text.Json.JsonException) { return []; }
    }
}

/// <summary>Balances in base units plus the token's decimals to show them.</summary>
internal sealed record Balances(string Address, int Decimals, BigInteger Wallet, BigInteger EscrowFree, BigInteger EscrowLocked, uint OpenLeases)
{
    public JsonObject ToJson() => new()
    {
        ["address"] = Address, ["decimals"] = Decimals, ["wallet"] = Wallet.ToString(), ["escrowFree"] = EscrowFree.ToString(),
        ["escrowLocked"] = EscrowLocked.ToString(), ["openLeases"] = OpenLeases,
    };

    public IEnumerable<(string, string?)> Fields() =>
    [
        ("address", Address),
        ("wallet", Text.TokenAmount.Format(Wallet, Decimals)),
        ("escrow free", Text.TokenAmount.Format(EscrowFree, Decimals)),
        ("escrow locked", Text.TokenAmount.Format(EscrowLocked, Decimals)),
        ("open leases", OpenLeases.ToString()),
    ];
}
