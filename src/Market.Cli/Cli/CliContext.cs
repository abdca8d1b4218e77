using Market.Cli.Accounts;
using Market.Cli.Api;
using Market.Cli.Chain;
using Market.Cli.Text;

namespace Market.Cli.Cli;

/// <summary>One invocation's settings and the services built from them (lazily: a command that needs no chain never touches one).</summary>
internal sealed class CliContext(CliEnvironment env, string api, string? rpc, string? deployment, string keystore, string? passphraseFile, bool json)
{
    public CliEnvironment Env { get; } = env;
    public string ApiUrl { get; } = api.TrimEnd('/');
    public string? RpcUrl { get; } = rpc;
    public string? DeploymentFile { get; } = deployment;
    public string KeystoreFile { get; } = keystore;
    public string? PassphraseFile { get; } = passphraseFile;
    public bool Json { get; } = json;
    public Output Out { get; } = new(env.Out, json, env.OutIsTerminal);

    public Wallet Wallet => _wallet ??= new Wallet(KeystoreFile, new PassphraseSource(PassphraseFile, Env));
    private Wallet? _wallet;

    public MarketApiClient Api => _api ??= new MarketApiClient(ApiUrl, new SessionStore(Env.ConfigDirectory), Wallet);
    private MarketApiClient? _api;

    public ChainAccess Chain => _chain ??= new ChainAccess(RpcUrl, DeploymentFile, Env.ConfigDirectory);
    private ChainAccess? _chain;
}
