using Market.Chain;
using Market.Chain.Usage;
using Market.TestSupport;
using ProviderAgent.Metering;
using ProviderAgent.State;

namespace ProviderAgent.Tests.Metering;

public sealed class UsageMeterTests
{
    private static readonly Market.Chain.Crypto.EthKey Key = DevelopmentKeys.Key(4);
    private static readonly UsageReportSigner Signer = new(31337, Address.Parse("0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9"));
    private static readonly UsageMeter Meter = new(Signer, Key);
    // Lease opened at chain second 1,000 for 600 s; the agent saw it at wall 50,000 ms.
    private static readonly LeaseClock Clock = new(1_000, 600, 50_000);

    private static LeaseRun Run(long? start, long? end = null, long seq = 0, long? to = null) =>
        new("7", LeasePhase.Running, "cm-0000000000000000", null, "{}", 50_000, start, end, 0, 0, 0, 0, seq, to, 800, false, null, null, null);

    [Fact]
    public void Intervals_follow_each_other_and_charge_mNCU_times_the_time_the_container_ran()
    {
        // Container started 2.5 s after the anchor (chain 1,002.5); now is chain 1,012.
        var first = Meter.Next(Run(52_500), Clock, 800, 62_000, final: false)!;
        Assert.Equal((1L, 1_002L, 1_012L), (first.Seq, first.FromSec, first.ToSec));
        Assert.Equal(800L * 9_500 / 1_000, first.MilliNcuSeconds); // ran 9.5 of the 10 s
        var report = new UsageReport(7, 1, 1_002, 1_012, (ulong)first.MilliNcuSeconds);
        Assert.Equal(Key.Address, Signer.Recover(report, Hex.Decode(first.Signature)));
        // Ended at chain 1,015.2: the final interval is [1,012, 1,016) with 3.2 s of running.
        var last = Meter.Next(Run(52_500, 65_200, seq: 1, to: 1_012), Clock, 800, 70_000, final: true)!;
        Assert.Equal((2L, 1_012L, 1_016L, 800L * 3_200 / 1_000), (last.Seq, last.FromSec, last.ToSec, last.MilliNcuSeconds));
    }

    [Fact]
    public void A_job_shorter_than_a_second_gets_one_final_one_second_interval_and_nothing_before_the_start()
    {
        Assert.Null(Meter.Next(Run(null), Clock, 800, 60_000, final: true));
        Assert.Null(Meter.Next(Run(50_100), Clock, 800, 50_600, final: false)); // less than a whole second yet
        var only = Meter.Next(Run(50_100, 50_150), Clock, 800, 50_200, final: true)!;
        Assert.Equal((1L, 1_000L, 1_001L, 40L), (only.Seq, only.FromSec, only.ToSec, only.MilliNcuSeconds));
    }

    [Fact]
    public void Reports_never_reach_past_the_lease_end()
    {
        var r = Meter.Next(Run(50_000, seq: 3, to: 1_590), Clock, 800, 50_000 + 700_000, final: false)!;
        Assert.Equal(1_600L, r.ToSec);
        Assert.Equal(800L * 10, r.MilliNcuSeconds);
        Assert.Null(Meter.Next(Run(50_000, seq: 4, to: 1_600), Clock, 800, 50_000 + 800_000, final: true));
    }
}
