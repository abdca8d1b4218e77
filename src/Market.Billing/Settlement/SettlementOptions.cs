using Market.Billing.Sla;

namespace Market.Billing.Settlement;

/// <summary>Section "Market:Billing": the batch trigger (size or time) and the SLA bounds.</summary>
public sealed record SettlementOptions
{
    /// <summary>Propose as soon as this many leases are due (the contract takes at most 256).</summary>
    public int MaxBatchSize { get; init; } = 100;

    /// <summary>…or when the oldest due lease has waited this long.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Leases looked at per poll.</summary>
    public int ScanLimit { get; init; } = 2_000;

    public SlaPolicy Sla { get; init; } = SlaPolicy.Default;

    /// <summary>
    /// Whether the agent's times in <see cref="Sla.LeaseFacts"/> (running, ended, sightings) are wall-clock
    /// seconds, as the market host records them. They are then moved onto chain time by the current
    /// difference between the two before judging, so a chain running ahead of the wall clock (a dev node
    /// after time travel) never makes a live agent look silent or late.
    /// </summary>
    public bool AgentTimesOnWallClock { get; init; }
}

/// <summary>Counters of one engine (for logs and the bench).</summary>
public sealed class SettlementStats
{
    public long Batches;
    public long LeasesProposed;
    public long LeasesSettled;
    public long LeasesReclaimed;
    public long ResolvedDisputes;
    public System.Numerics.BigInteger ProposeGas;
    public System.Numerics.BigInteger FinalizeGas;
}
