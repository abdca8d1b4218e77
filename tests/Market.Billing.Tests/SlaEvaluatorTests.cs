using System.Numerics;
using System.Text.Json;
using Market.Billing.Sla;
using Market.Chain.Contracts;
using Market.TestSupport;

namespace Market.Billing.Tests;

/// <summary>Every SLA rule at its boundary: exactly at the limit is met, one second past it is breached.</summary>
public sealed class SlaEvaluatorTests
{
    private const ulong Start = 10_000;
    private static readonly SlaPolicy Policy = new() { StartLatencySec = 60, HeartbeatTimeoutSec = 90, EndGraceSec = 30 };

    // 800 mNCU for up to 3,600 s at 99 % uptime (36 s of downtime allowed over a full hour), 5 % penalty.
    private static LeaseFacts Lease(ulong? running = Start + 10, ulong? ended = Start + 1_000, LeaseOutcome outcome = LeaseOutcome.Completed,
        IReadOnlyList<ulong>? seen = null, ushort uptimeBps = 9_900, BigInteger? usage = null) =>
        new(1, DevelopmentKeys.AddressOf(10), DevelopmentKeys.AddressOf(4), 1, 800, 2_000_000, 1_600_000, Start, 3_600, uptimeBps, 500,
            running, ended, outcome, null, seen ?? Every(30, running ?? Start, ended ?? Start), usage ?? 800 * 990);

    private static List<ulong> Every(ulong step, ulong from, ulong to)
    {
        var list = new List<ulong>();
        for (var t = from + step; t < to; t += step) list.Add(t);
        return list;
    }

    private static SlaDecision Judge(LeaseFacts f, ulong now = Start + 2_000) => SlaEvaluator.Evaluate(f, Policy, now);

    private static SlaRule Rule(SlaDecision d, string name) => d.Rules.Single(r => r.Rule == name);

    [Fact]
    public void A_clean_run_is_met_and_charges_the_reported_usage()
    {
        var d = Judge(Lease());
        Assert.Equal(Verdict.Met, d.Verdict);
        Assert.Equal(800 * 990, (long)d.Usage);
        Assert.Equal(BigInteger.Zero, d.Penalty);
        Assert.All(d.Rules, r => Assert.True(r.Ok, r.Rule));
    }

    [Theory]
    [InlineData(60UL, Verdict.Met)]
    [InlineData(61UL, Verdict.Breached)]
    [InlineData(0UL, Verdict.Met)]
    public void Start_latency_boundary(ulong latency, Verdict expected)
    {
        var d = Judge(Lease(running: Start + latency));
        Assert.Equal(expected, d.Verdict);
        Assert.Equal((long)latency, Rule(d, "start-latency").Observed);
    }

    [Fact]
    public void Running_reported_before_the_chain_start_counts_as_zero_latency() =>
        Assert.Equal(0, Rule(Judge(Lease(running: Start - 3)), "start-latency").Observed);

    [Fact]
    public void A_lease_that_never_ran_is_breached_with_its_penalty()
    {
        var d = Judge(Lease(running: null, ended: Start + 30, outcome: LeaseOutcome.Refused, seen: []));
        Assert.Equal(Verdict.Breached, d.Verdict);
        Assert.False(Rule(d, "start-latency").Ok);
        Assert.Equal(80_000, (long)d.Penalty); // ceil(1,600,000 × 500 / 10,000)
    }

    [Theory]
    [InlineData(60UL, Verdict.ConsumerFault)] // the spec's image failed within the bound: not the provider's fault
    [InlineData(61UL, Verdict.Breached)]      // …but the provider took longer than the bound to say so
    public void Bad_image_is_the_consumers_fault_within_the_start_bound(ulong reportedAfter, Verdict expected) =>
        Assert.Equal(expected, Judge(Lease(running: null, ended: Start + reportedAfter, outcome: LeaseOutcome.BadImage, seen: [])).Verdict);

    [Theory]
    [InlineData(LeaseOutcome.NonZeroExit, Verdict.ConsumerFault)]
    [InlineData(LeaseOutcome.Cancelled, Verdict.ConsumerFault)]
    [InlineData(LeaseOutcome.TimedOut, Verdict.ConsumerFault)]
    [InlineData(LeaseOutcome.ProviderFailure, Verdict.Breached)]
    [InlineData(LeaseOutcome.Completed, Verdict.Met)]
    public void Outcomes(LeaseOutcome outcome, Verdict expected) => Assert.Equal(expected, Judge(Lease(outcome: outcome)).Verdict);

    [Fact]
    public void A_provider_breach_wins_over_a_consumer_fault() =>
        Assert.Equal(Verdict.Breached, Judge(Lease(running: Start + 61, outcome: LeaseOutcome.NonZeroExit)).Verdict);

    [Theory]
    // Wall time 1,000 s at 99 % → 10 s allowed. One gap of 90 + d seconds is d seconds of downtime.
    [InlineData(100UL, Verdict.Met)]
    [InlineData(101UL, Verdict.Breached)]
    public void Uptime_boundary(ulong gap, Verdict expected)
    {
        var seen = new List<ulong> { Start + 100, Start + 100 + gap };
        seen.AddRange(Every(30, Start + 100 + gap, Start + 1_000));
        var d = Judge(Lease(seen: seen));
        Assert.Equal(expected, d.Verdict);
        var uptime = Rule(d, "uptime");
        Assert.Equal(10, uptime.Limit);
        Assert.Equal((long)(gap - 90), uptime.Observed);
    }

    [Fact]
    public void Gaps_within_the_heartbeat_timeout_are_not_downtime() =>
        Assert.Equal(0, Rule(Judge(Lease(seen: Every(90, Start + 10, Start + 1_000))), "uptime").Observed);

    [Fact]
    public void The_last_gap_up_to_the_end_report_counts()
    {
        // Last sighting at +890, ended at +1,000: a 110 s gap → 20 s downtime > 10 s allowed.
        var d = Judge(Lease(seen: Every(30, Start + 10, Start + 891)));
        Assert.False(Rule(d, "uptime").Ok);
    }

    [Fact]
    public void Uptime_of_10000_bps_allows_no_downtime() =>
        Assert.Equal(Verdict.Breached, Judge(Lease(uptimeBps: 10_000, seen: [Start + 20, Start + 111], ended: Start + 130)).Verdict);

    [Theory]
    [InlineData(90UL, false, true)]
    [InlineData(91UL, true, false)]
    public void A_silent_agent_is_due_and_breached_past_the_heartbeat_timeout(ulong silentFor, bool due, bool heartbeatOk)
    {
        var f = Lease(ended: null, outcome: LeaseOutcome.None, seen: [Start + 100]);
        var now = Start + 100 + silentFor;
        Assert.Equal(due, SlaEvaluator.IsDue(f, Policy, now));
        var d = Judge(f, now);
        Assert.Equal(heartbeatOk, Rule(d, "heartbeat").Ok);
        if (!heartbeatOk) Assert.Equal(Verdict.Breached, d.Verdict);
    }

    [Theory]
    [InlineData(3_630UL, Verdict.Met)]      // the end report arrives exactly at maxDuration + grace
    [InlineData(3_631UL, Verdict.Breached)]
    public void Max_duration_boundary_with_an_end_report(ulong endedAfter, Verdict expected)
    {
        var f = Lease(ended: Start + endedAfter, seen: Every(30, Start + 10, Start + 3_600), usage: 800 * 3_000);
        Assert.Equal(expected, Judge(f, Start + 4_000).Verdict);
    }

    [Fact]
    public void Without_an_end_report_a_lease_is_due_and_breached_at_max_duration_plus_grace()
    {
        var f = Lease(ended: null, outcome: LeaseOutcome.None, seen: Every(30, Start + 10, Start + 3_700));
        Assert.False(SlaEvaluator.IsDue(f, Policy, Start + 3_629));
        Assert.True(SlaEvaluator.IsDue(f, Policy, Start + 3_630));
        var d = Judge(f, Start + 3_630);
        Assert.False(Rule(d, "max-duration").Ok);
        Assert.Equal(Verdict.Breached, d.Verdict);
    }

    [Fact]
    public void A_running_lease_with_a_live_agent_is_not_due() =>
        Assert.False(SlaEvaluator.IsDue(Lease(ended: null, outcome: LeaseOutcome.None, seen: Every(30, Start + 10, Start + 500)), Policy, Start + 500));

    [Theory]
    [InlineData(800UL * 990, 1_000UL, 800UL * 990)]       // below the bound: as reported
    [InlineData(800UL * 1_500, 1_000UL, 800UL * 1_000)]   // above reserved × elapsed: capped
    [InlineData(800UL * 3_600 + 7, 9_000UL, 800UL * 3_600)] // never above reserved × maxDuration
    public void Usage_is_bounded_by_what_the_contract_accepts(ulong reported, ulong nowAfterStart, ulong expected)
    {
        var f = Lease(ended: Start + Math.Min(nowAfterStart, 3_600), usage: reported, seen: Every(30, Start + 10, Start + 3_600));
        Assert.Equal((BigInteger)expected, SlaEvaluator.Evaluate(f, Policy, Start + nowAfterStart).Usage);
    }

    [Fact]
    public void Evidence_is_json_with_every_rule()
    {
        var json = JsonDocument.Parse(Judge(Lease(running: Start + 61)).EvidenceJson()).RootElement;
        Assert.Equal("breached", json.GetProperty("verdict").GetString());
        var rules = json.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("rule").GetString()).ToList();
        Assert.Equal(["start-latency", "uptime", "heartbeat", "max-duration", "provider-failure"], rules);
    }

    [Theory]
    [InlineData("Exited", 0, null, true, LeaseOutcome.Completed)]
    [InlineData("Exited", 3, null, true, LeaseOutcome.NonZeroExit)]
    [InlineData("Failed", null, "pulling image busybox:nope failed", false, LeaseOutcome.BadImage)]
    [InlineData("Failed", null, "runc: out of memory", false, LeaseOutcome.ProviderFailure)]
    [InlineData("Failed", 137, "killed", true, LeaseOutcome.NonZeroExit)]
    [InlineData("Refused", null, null, false, LeaseOutcome.Refused)]
    [InlineData("Cancelled", null, null, true, LeaseOutcome.Cancelled)]
    [InlineData("TimedOut", null, null, true, LeaseOutcome.TimedOut)]
    [InlineData("Running", null, null, true, LeaseOutcome.None)]
    [InlineData(null, null, null, false, LeaseOutcome.None)]
    public void Agent_statuses_map_to_outcomes(string? status, int? exit, string? detail, bool ran, LeaseOutcome expected) =>
        Assert.Equal(expected, LeaseFacts.OutcomeOf(status, exit, detail, ran));
}
