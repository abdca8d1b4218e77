using System.CommandLine;
using Market.Chain.Accounts;
using Market.Chain.Contracts;
using Market.Chain.Crypto;
using Market.Chain.Rpc;
using ProviderAgent.Config;

namespace ProviderAgent.Commands;

/// <summary>Options and helpers shared by the commands that use the config, the key and the chain.</summary>
internal static class ChainOptions
{
    public static readonly Option<string?> PassphraseFile = new("--passphrase-file")
    {
        Description = $"File holding the key passphrase (else ${KeySource.PassphraseVariable}, else a prompt)",
        Recursive = true,
    };

    public static AgentConfig Config(ParseResult result) => AgentConfig.Load(AgentConfig.PathIn(CommonOptions.Paths(result).DataDirectory));

    public static EthKey Key(ParseResult result, AgentConfig config) =>
        KeySource.Load(AgentConfig.Resolve(CommonOptions.Paths(result).DataDirectory, config.KeyFile), result.GetValue(PassphraseFile));

    /// <summary>The contracts as the provider's account sees them (sending when a key is given).</summary>
    public static async Task<MarketContracts> ContractsAsync(ParseResult result, AgentConfig config, EthKey? key, CancellationToken ct)
    {
        var deployment = Deployment.Load(AgentConfig.Resolve(CommonOptions.Paths(result).DataDirectory, config.DeploymentFile));
        var client = new EthClient(config.RpcUrl);
        var chainId = await client.ChainIdAsync(ct);
        if (chainId != deployment.ChainId)
            throw new InvalidOperationException($"the RPC node is chain {chainId}, the deployment file is for chain {deployment.ChainId}");
        return key is null ? new MarketContracts(deployment, client) : new MarketContracts(deployment, client).As(new TransactionSender(client, key, deployment.ChainId));
    }
}
