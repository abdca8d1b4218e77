using Market.Chain;
using Market.Chain.Usage;

namespace Market.Billing.Metering;

/// <summary>The terms of a lease that bound what may be metered on it.</summary>
public sealed record LeaseTerms(ulong LeaseId, Address Provider, ulong MilliNcu, ulong StartSec, uint MaxDurationSec);

public enum UsageVerdict { Accepted, Duplicate, BadSignature, OutOfOrder, Conflict, BadInterval, OutsideLease, InFuture, OverRate, OverTotal }

public sealed record UsageDecision(UsageVerdict Verdict, string Detail)
{
    public bool Stored => Verdict == UsageVerdict.Accepted;
    public bool Ok => Verdict is UsageVerdict.Accepted or UsageVerdict.Duplicate;
}

/// <summary>
/// Decides whether a signed usage report can enter the ledger of its lease. Pure: the caller
/// passes the lease terms, the reports already accepted (in sequence order) and the time. A report
/// counts only if the lease's provider signed it, it is the next in sequence, its interval lies in
/// the lease after the previous report's, and its mNCU·s never exceed reserved × wall time — per
/// report and in total. So metered usage can never exceed what the contract would accept
/// (milliNcu × elapsed, capped at maxDuration).
/// </summary>
public static class UsageLedger
{
    /// <summary>Seconds a report's end may lie ahead of our clock (agents' clocks drift a little).</summary>
    public const ulong ClockSkewSec = 5;

    public static UsageDecision Check(LeaseTerms lease, IReadOnlyList<UsageReport> accepted, UsageReport r, byte[] signature,
        UsageReportSigner signer, ulong nowSec)
    {
        if (r.LeaseId != lease.LeaseId) return new(UsageVerdict.OutsideLease, $"report is for lease {r.LeaseId}, not {lease.LeaseId}");
        if (signer.Recover(r, signature) != lease.Provider)
            return new(UsageVerdict.BadSignature, "the report is not signed by the lease's provider");
        var last = accepted.Count == 0 ? null : accepted[^1];
        var expectedSeq = (last?.Seq ?? 0) + 1;
        if (r.Seq < expectedSeq)
        {
            var same = accepted.FirstOrDefault(a => a.Seq == r.Seq);
            return same == r ? new(UsageVerdict.Duplicate, $"report {r.Seq} was already recorded")
                : new(UsageVerdict.Conflict, $"report {r.Seq} was already recorded with other figures");
        }
        if (r.Seq != expectedSeq) return new(UsageVerdict.OutOfOrder, $"expected report {expectedSeq}, got {r.Seq}");
        if (r.ToTime <= r.FromTime) return new(UsageVerdict.BadInterval, "toTime must be after fromTime");
        var end = lease.StartSec + lease.MaxDurationSec;
        if (r.FromTime < lease.StartSec || r.ToTime > end)
            return new(UsageVerdict.OutsideLease, $"interval [{r.FromTime}, {r.ToTime}) is outside the lease [{lease.StartSec}, {end})");
        if (last is not null && r.FromTime < last.ToTime)
            return new(UsageVerdict.BadInterval, $"interval starts at {r.FromTime}, before the previous report's end {last.ToTime}");
        if (r.ToTime > nowSec + ClockSkewSec) return new(UsageVerdict.InFuture, $"interval ends at {r.ToTime}, in the future (now {nowSec})");
        var cap = (UInt128)lease.MilliNcu * (r.ToTime - r.FromTime);
        if (r.MilliNcuSeconds > cap) return new(UsageVerdict.OverRate, $"{r.MilliNcuSeconds} mNCU·s is above reserved × interval = {cap}");
        UInt128 total = r.MilliNcuSeconds;
        foreach (var a in accepted) total += a.MilliNcuSeconds;
        var totalCap = (UInt128)lease.MilliNcu * (Math.Min(r.ToTime, end) - lease.StartSec);
        if (total > totalCap) return new(UsageVerdict.OverTotal, $"total {total} mNCU·s is above reserved × elapsed = {totalCap}");
        return new(UsageVerdict.Accepted, "recorded");
    }

    /// <summary>Total accepted usage in mNCU·s.</summary>
    public static ulong Total(IEnumerable<UsageReport> accepted)
    {
        ulong t = 0;
        foreach (var a in accepted) t = checked(t + a.MilliNcuSeconds);
        return t;
    }
}
