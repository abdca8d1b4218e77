using Market.Billing.Metering;
using Market.Chain;
using Market.Chain.Crypto;
using Market.Chain.Usage;
using Market.TestSupport;

namespace Market.Billing.Tests;

public sealed class UsageLedgerTests
{
    private static readonly EthKey Provider = DevelopmentKeys.Key(4);
    private static readonly EthKey Stranger = DevelopmentKeys.Key(5);
    private static readonly UsageReportSigner Signer = new(31337, Address.Parse("0xcf7ed3acca5a467e9e704c703e8d87f634fb0fc9"));
    private static readonly LeaseTerms Lease = new(9, Provider.Address, 800, 1_000, 600);

    private static (UsageReport, byte[]) Signed(ulong seq, ulong from, ulong to, ulong usage, EthKey? key = null)
    {
        var r = new UsageReport(9, seq, from, to, usage);
        return (r, Signer.Sign(r, key ?? Provider).ToBytes());
    }

    private static UsageVerdict Check(IReadOnlyList<UsageReport> prior, (UsageReport R, byte[] Sig) s, ulong now = 2_000) =>
        UsageLedger.Check(Lease, prior, s.R, s.Sig, Signer, now).Verdict;

    [Fact]
    public void A_first_report_within_the_lease_is_accepted() =>
        Assert.Equal(UsageVerdict.Accepted, Check([], Signed(1, 1_000, 1_060, 48_000)));

    [Fact]
    public void Exactly_reserved_times_interval_is_accepted_one_more_is_not()
    {
        Assert.Equal(UsageVerdict.Accepted, Check([], Signed(1, 1_000, 1_060, 800 * 60)));
        Assert.Equal(UsageVerdict.OverRate, Check([], Signed(1, 1_000, 1_060, 800 * 60 + 1)));
    }

    [Fact]
    public void A_forged_signature_is_refused() =>
        Assert.Equal(UsageVerdict.BadSignature, Check([], Signed(1, 1_000, 1_060, 1, Stranger)));

    [Fact]
    public void Replays_are_duplicates_and_changed_replays_are_conflicts()
    {
        var first = Signed(1, 1_000, 1_060, 100);
        Assert.Equal(UsageVerdict.Duplicate, Check([first.Item1], first));
        Assert.Equal(UsageVerdict.Conflict, Check([first.Item1], Signed(1, 1_000, 1_060, 101)));
    }

    [Fact]
    public void Out_of_order_and_overlapping_reports_are_refused()
    {
        var first = Signed(1, 1_000, 1_060, 100).Item1;
        Assert.Equal(UsageVerdict.OutOfOrder, Check([first], Signed(3, 1_060, 1_120, 100)));
        Assert.Equal(UsageVerdict.BadInterval, Check([first], Signed(2, 1_050, 1_120, 100)));
        Assert.Equal(UsageVerdict.Accepted, Check([first], Signed(2, 1_060, 1_120, 100)));
    }

    [Theory]
    [InlineData(999UL, 1_060UL, UsageVerdict.OutsideLease)]   // before start
    [InlineData(1_500UL, 1_601UL, UsageVerdict.OutsideLease)] // past start + maxDuration
    [InlineData(1_060UL, 1_060UL, UsageVerdict.BadInterval)]  // empty
    [InlineData(1_060UL, 1_000UL, UsageVerdict.BadInterval)]  // backwards
    [InlineData(1_500UL, 1_600UL, UsageVerdict.Accepted)]     // ends exactly at the lease's end
    public void Interval_boundaries(ulong from, ulong to, UsageVerdict expected) =>
        Assert.Equal(expected, Check([], Signed(1, from, to, 1)));

    [Fact]
    public void Reports_from_the_future_are_refused_beyond_the_clock_skew()
    {
        Assert.Equal(UsageVerdict.Accepted, Check([], Signed(1, 1_000, 1_065, 1), now: 1_060));
        Assert.Equal(UsageVerdict.InFuture, Check([], Signed(1, 1_000, 1_066, 1), now: 1_060));
    }

    [Fact]
    public void A_report_for_another_lease_is_refused()
    {
        var r = new UsageReport(10, 1, 1_000, 1_060, 1);
        Assert.Equal(UsageVerdict.OutsideLease, UsageLedger.Check(Lease, [], r, Signer.Sign(r, Provider).ToBytes(), Signer, 2_000).Verdict);
    }

    [Fact]
    public void The_total_never_exceeds_reserved_times_maximum_duration()
    {
        var reports = new List<UsageReport>();
        for (ulong i = 0; i < 10; i++)
        {
            var s = Signed(i + 1, 1_000 + i * 60, 1_060 + i * 60, 800 * 60);
            Assert.Equal(UsageVerdict.Accepted, Check(reports, s));
            reports.Add(s.Item1);
        }
        Assert.Equal(800UL * 600, UsageLedger.Total(reports));
        Assert.Equal(UsageVerdict.OutsideLease, Check(reports, Signed(11, 1_600, 1_601, 1)));
    }

    [Fact]
    public void A_signature_moved_onto_other_figures_is_refused()
    {
        var (real, sig) = Signed(1, 1_000, 1_060, 100);
        Assert.Equal(UsageVerdict.BadSignature, Check([], (real with { MilliNcuSeconds = 48_000 }, sig)));
        var other = new UsageReport(10, 1, 1_000, 1_060, 100);
        Assert.Equal(UsageVerdict.BadSignature, Check([], (real, Signer.Sign(other, Provider).ToBytes())));
        Assert.Equal(UsageVerdict.BadSignature, Check([], (real, new byte[65])));
    }

    [Fact]
    public void An_old_report_replayed_after_later_ones_is_a_duplicate_and_never_counted_twice()
    {
        var first = Signed(1, 1_000, 1_060, 100);
        var second = Signed(2, 1_060, 1_120, 100);
        Assert.Equal(UsageVerdict.Duplicate, Check([first.Item1, second.Item1], first));
        Assert.Equal(200UL, UsageLedger.Total([first.Item1, second.Item1]));
    }

    [Fact]
    public void A_report_within_its_own_rate_but_over_the_running_total_is_refused()
    {
        // A first report claims its interval's full capacity but started late; the second may not
        // make up for the idle time before it: reserved × (to − start) bounds the sum.
        var first = Signed(1, 1_000, 1_060, 800 * 60).Item1;
        Assert.Equal(UsageVerdict.Accepted, Check([first], Signed(2, 1_060, 1_120, 800 * 60)));
        Assert.Equal(UsageVerdict.OverRate, Check([first], Signed(2, 1_060, 1_120, 800 * 60 + 1)));
    }
}
