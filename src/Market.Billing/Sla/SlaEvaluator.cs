using System.Numerics;
using System.Text.Json;
using Market.Billing.Money;
using Market.Chain.Contracts;

namespace Market.Billing.Sla;

/// <summary>One SLA rule as judged: what was observed against its limit (seconds, or mNCU·s for usage).</summary>
public sealed record SlaRule(string Rule, bool Ok, long Observed, long Limit, string Detail);

/// <summary>The verdict of one lease with the usage to settle and the evidence behind it.</summary>
public sealed record SlaDecision(Verdict Verdict, BigInteger Usage, BigInteger ReportedUsage, BigInteger UsageBound, BigInteger Penalty,
    IReadOnlyList<SlaRule> Rules, ulong EvaluatedAtSec)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Evidence kept with the settlement: every rule, the usage and its bound.</summary>
    public string EvidenceJson() => JsonSerializer.Serialize(new
    {
        verdict = SlaEvaluator.Name(Verdict),
        evaluatedAt = EvaluatedAtSec,
        usage = Usage.ToString(), reportedUsage = ReportedUsage.ToString(), usageBound = UsageBound.ToString(),
        penalty = Penalty.ToString(),
        rules = Rules,
    }, Json);
}

/// <summary>
/// The SLA of a lease, judged from what the agent reported (pure; times in chain seconds):
/// <list type="bullet">
/// <item><c>start-latency</c>: Running within <see cref="SlaPolicy.StartLatencySec"/> of the lease's start
/// (a job that never ran is excused only when its spec was at fault or its consumer cancelled, within the bound);</item>
/// <item><c>uptime</c>: downtime — the part of each gap between sightings beyond the heartbeat timeout — at most
/// <c>(10,000 − uptimeBps) / 10,000</c> of the lease's wall time;</item>
/// <item><c>heartbeat</c>: an agent with no terminal report unseen for longer than the heartbeat timeout is silent;</item>
/// <item><c>max-duration</c>: the terminal report arrives by start + maxDuration + grace;</item>
/// <item><c>provider-failure</c>: the lease was not refused and the runtime did not fail on the provider's side.</item>
/// </list>
/// Any failed rule is a breach. Otherwise a non-zero exit, a bad image, a cancel or a job outrunning its own
/// maxDuration is the consumer's fault (pays like met); everything else is met.
/// </summary>
public static class SlaEvaluator
{
    /// <summary>Whether the lease has ended as far as billing is concerned (terminal report, overdue, or silent agent).</summary>
    public static bool IsDue(LeaseFacts f, SlaPolicy p, ulong nowSec) =>
        f.Outcome != LeaseOutcome.None || nowSec >= f.EndSec + p.EndGraceSec || nowSec > LastSeen(f) + p.HeartbeatTimeoutSec;

    public static SlaDecision Evaluate(LeaseFacts f, SlaPolicy p, ulong nowSec)
    {
        var terminal = f.Outcome != LeaseOutcome.None;
        var observedEnd = terminal ? f.EndedAtSec ?? nowSec : nowSec;
        var wallEnd = Math.Max(Math.Min(observedEnd, f.EndSec), f.StartSec);
        var wall = wallEnd - f.StartSec;
        var ranAt = f.RunningAtSec ?? (f.Outcome is LeaseOutcome.Completed or LeaseOutcome.NonZeroExit or LeaseOutcome.TimedOut ? f.EndedAtSec : null);

        var rules = new List<SlaRule>(5) { StartLatency(f, p, ranAt, observedEnd) };
        if (ranAt is { } ran) rules.Add(Uptime(f, p, ran, terminal ? observedEnd : Math.Min(nowSec, f.EndSec), wall));
        var lastSeen = LastSeen(f);
        rules.Add(terminal
            ? new SlaRule("heartbeat", true, 0, (long)p.HeartbeatTimeoutSec, "the agent reported the end of the lease")
            : new SlaRule("heartbeat", nowSec - lastSeen <= p.HeartbeatTimeoutSec, (long)(nowSec - lastSeen), (long)p.HeartbeatTimeoutSec,
                $"agent last seen at {lastSeen}, {nowSec - lastSeen} s before {nowSec}"));
        var endLimit = (long)(f.MaxDurationSec + p.EndGraceSec);
        var endObserved = (long)(observedEnd > f.StartSec ? observedEnd - f.StartSec : 0);
        rules.Add(new SlaRule("max-duration", terminal ? endObserved <= endLimit : endObserved < endLimit, endObserved, endLimit,
            terminal ? $"ended {endObserved} s after the start" : $"no terminal report {endObserved} s after the start"));
        var providerFailed = f.Outcome is LeaseOutcome.ProviderFailure or LeaseOutcome.Refused;
        rules.Add(new SlaRule("provider-failure", !providerFailed, providerFailed ? 1 : 0, 0, $"outcome {f.Outcome}"));

        var verdict = rules.TrueForAll(r => r.Ok)
            ? f.Outcome is LeaseOutcome.NonZeroExit or LeaseOutcome.BadImage or LeaseOutcome.Cancelled or LeaseOutcome.TimedOut
                ? Verdict.ConsumerFault : Verdict.Met
            : Verdict.Breached;
        var bound = BillingMath.MaxUsage(f.MilliNcu, f.StartSec, f.MaxDurationSec, nowSec);
        var usage = BigInteger.Min(BigInteger.Max(f.ReportedUsage, BigInteger.Zero), bound);
        var penalty = verdict == Verdict.Breached ? BillingMath.Penalty(f.LockAmount, f.PenaltyBps) : BigInteger.Zero;
        return new SlaDecision(verdict, usage, f.ReportedUsage, bound, penalty, rules, nowSec);
    }

    public static string Name(Verdict v) => v switch { Verdict.Met => "met", Verdict.Breached => "breached", _ => "consumer-fault" };

    private static ulong LastSeen(LeaseFacts f)
    {
        var last = Math.Max(f.StartSec, f.RunningAtSec ?? 0);
        if (f.SeenAtSec.Count > 0) last = Math.Max(last, f.SeenAtSec[^1]);
        return last;
    }

    private static SlaRule StartLatency(LeaseFacts f, SlaPolicy p, ulong? ranAt, ulong observedEnd)
    {
        var limit = (long)p.StartLatencySec;
        if (ranAt is { } r)
        {
            var latency = (long)(r > f.StartSec ? r - f.StartSec : 0);
            return new SlaRule("start-latency", latency <= limit, latency, limit, $"running {latency} s after the lease started");
        }
        var waited = (long)(observedEnd > f.StartSec ? observedEnd - f.StartSec : 0);
        var excused = f.Outcome is LeaseOutcome.BadImage or LeaseOutcome.Cancelled && waited <= limit;
        return new SlaRule("start-latency", excused, waited, limit,
            excused ? $"never ran: {f.Outcome} reported {waited} s after the start" : $"never ran ({f.Outcome}) {waited} s after the start");
    }

    private static SlaRule Uptime(LeaseFacts f, SlaPolicy p, ulong ranAt, ulong endPoint, ulong wall)
    {
        ulong downtime = 0, previous = ranAt;
        foreach (var seen in f.SeenAtSec)
        {
            if (seen <= previous) continue;
            if (seen >= endPoint) break;
            downtime += Excess(seen - previous, p.HeartbeatTimeoutSec);
            previous = seen;
        }
        if (endPoint > previous) downtime += Excess(endPoint - previous, p.HeartbeatTimeoutSec);
        var allowed = wall * (ulong)(BillingMath.BpsDenominator - Math.Min(f.UptimeBps, (ushort)BillingMath.BpsDenominator)) / BillingMath.BpsDenominator;
        return new SlaRule("uptime", downtime <= allowed, (long)downtime, (long)allowed,
            $"{downtime} s down of {wall} s wall time; {f.UptimeBps} bps uptime allows {allowed} s");
    }

    private static ulong Excess(ulong gap, ulong timeout) => gap > timeout ? gap - timeout : 0;
}
