using Market.Chain.Crypto;
using Market.Chain.Usage;
using ProviderAgent.State;

namespace ProviderAgent.Metering;

/// <summary>
/// Builds the signed usage reports of a lease (DESIGN §7 Metering/): consecutive chain-second
/// intervals from the container's start, each charged at lease mNCU × the milliseconds the
/// container actually ran inside it (floored), and a final one that ends at the container's exit
/// (rounded up to the next second, so the interval is never empty). Reports follow the ledger's
/// rules (docs in Market.Billing UsageLedger): seq 1, 2, …; intervals inside [start, start + max);
/// each starting where the previous ended; never more than reserved × interval.
/// </summary>
public sealed class UsageMeter(UsageReportSigner signer, EthKey providerKey)
{
    /// <summary>
    /// The next report for <paramref name="run"/> at wall time <paramref name="nowMs"/>, or null when
    /// there is nothing to report yet. <paramref name="final"/>: the container has ended at run.RunEndMs.
    /// </summary>
    public Market.Protocol.Agents.UsageReport? Next(LeaseRun run, LeaseClock clock, ulong milliNcu, long nowMs, bool final)
    {
        if (run.RunStartMs is not { } startWall) return null;
        long runStart = clock.ChainMs(startWall);
        long runEnd = clock.ChainMs(run.RunEndMs ?? nowMs);
        long from = Math.Max(run.UsageToSec ?? runStart / 1000, clock.StartSec);
        long to = final ? CeilDiv(runEnd, 1000) : clock.ChainMs(nowMs) / 1000;
        to = Math.Min(to, clock.EndSec);
        if (final && to <= from && from < clock.EndSec && run.UsageSeq == 0) to = from + 1;
        if (to <= from) return null;
        long ranMs = Math.Max(0, Math.Min(to * 1000, runEnd) - Math.Max(from * 1000, runStart));
        ulong usage = (ulong)((UInt128)milliNcu * (ulong)ranMs / 1000);
        ulong seq = (ulong)run.UsageSeq + 1;
        var report = new UsageReport(ulong.Parse(run.LeaseId), seq, (ulong)from, (ulong)to, usage);
        return new Market.Protocol.Agents.UsageReport(long.Parse(run.LeaseId), (long)seq, from, to, (long)usage,
            signer.Sign(report, providerKey).ToHex());
    }

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
