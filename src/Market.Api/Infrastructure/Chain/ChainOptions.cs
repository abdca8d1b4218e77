namespace Market.Api.Infrastructure.Chain;

/// <summary>
/// Section "Market:Chain". Keys are secrets: give them through the environment
/// (Market__Chain__MatcherKey) or a file (MatcherKeyFile), never on a command line or in a log.
/// </summary>
public sealed class ChainOptions
{
    public string? RpcUrl { get; set; }

    /// <summary>deployments/&lt;network&gt;.json written by scripts/deploy.js.</summary>
    public string? DeploymentFile { get; set; }

    /// <summary>0x-hex private key holding MATCHER_ROLE (opens leases) — or <see cref="MatcherKeyFile"/>.</summary>
    public string? MatcherKey { get; set; }
    public string? MatcherKeyFile { get; set; }

    /// <summary>0x-hex private key holding SETTLER_ROLE (billing) — or <see cref="SettlerKeyFile"/>.</summary>
    public string? SettlerKey { get; set; }
    public string? SettlerKeyFile { get; set; }

    /// <summary>Blocks the indexer stays behind the head, so a shallow reorg never reaches it.</summary>
    public int Confirmations { get; set; }

    public int PollMilliseconds { get; set; } = 500;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(RpcUrl) && !string.IsNullOrWhiteSpace(DeploymentFile);
}
