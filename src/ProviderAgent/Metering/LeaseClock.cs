namespace ProviderAgent.Metering;

/// <summary>
/// Maps the agent's wall clock onto the lease's chain clock. Usage intervals are judged in chain
/// (block) seconds, and a local chain may run ahead of the wall clock, so the agent never reads
/// its own clock as chain time: it takes the lease's chain start and adds the wall time elapsed
/// since it first saw the lease (the anchor). The lease was opened before the agent saw it, so this
/// estimate trails the real chain time — reports never claim time that has not passed.
/// </summary>
public readonly record struct LeaseClock(long StartSec, long MaxDurationSec, long AnchorMs)
{
    public long EndSec => StartSec + MaxDurationSec;

    public long ChainMs(long wallMs) => StartSec * 1000 + Math.Max(0, wallMs - AnchorMs);

    /// <summary>Wall milliseconds left until the lease ends on chain (never negative).</summary>
    public long RemainingMs(long wallMs) => Math.Max(0, EndSec * 1000 - ChainMs(wallMs));
}
