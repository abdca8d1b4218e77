namespace Market.Billing.Sla;

/// <summary>The operator's SLA bounds (section "Market:Billing"); the offer supplies uptimeBps.</summary>
public sealed record SlaPolicy
{
    /// <summary>Most seconds from the lease's start to the agent's Running report.</summary>
    public ulong StartLatencySec { get; init; } = 60;

    /// <summary>
    /// An agent unseen for longer than this is silent. A gap between two sightings counts as
    /// downtime only for the part beyond this timeout (normal heartbeat jitter is not downtime).
    /// </summary>
    public ulong HeartbeatTimeoutSec { get; init; } = 90;

    /// <summary>Slack after start + maxDuration for the agent's final report to arrive.</summary>
    public ulong EndGraceSec { get; init; } = 30;

    public static SlaPolicy Default { get; } = new();
}
