using System.Numerics;
using Market.Billing.Settlement;
using Market.Billing.Statements;
using Market.Chain.Contracts;
using Market.TestSupport;

namespace Market.Billing.Tests;

public sealed class StatementTests
{
    private static readonly Market.Chain.Address Consumer = DevelopmentKeys.AddressOf(10), Provider = DevelopmentKeys.AddressOf(4);

    private static LeaseSettlement Settled(ulong id, long charge, long fee, long refund, long penalty, LeaseBillingState state = LeaseBillingState.Settled) => new()
    {
        LeaseId = id, Consumer = Consumer, Provider = Provider, OfferId = 1, PricePerNcuHour = 2_000_000, LockAmount = charge + refund,
        PenaltyBps = 500, Usage = 1_000 * id, Verdict = penalty > 0 ? Verdict.Breached : Verdict.Met, Evidence = "{}", State = state,
        Charge = charge, Fee = fee, ProviderPaid = charge - fee, Refund = refund, Penalty = penalty,
    };

    [Fact]
    public void Totals_count_final_leases_from_each_side()
    {
        var leases = new[]
        {
            Settled(1, 1_000, 10, 500, 0), Settled(2, 2_000, 20, 100, 75),
            Settled(3, 0, 0, 900, 0, LeaseBillingState.Reclaimed), Settled(4, 7, 0, 7, 0, LeaseBillingState.Proposed),
        };
        var c = Statement.Build(Consumer, leases);
        Assert.Equal(3, c.AsConsumer.Leases);
        Assert.Equal(new BigInteger(3_000), c.AsConsumer.Paid);
        Assert.Equal(new BigInteger(1_500), c.AsConsumer.Refunded);
        Assert.Equal(new BigInteger(75), c.AsConsumer.PenaltiesReceived);
        Assert.Equal(new BigInteger(3_000), c.AsConsumer.UsedMilliNcuSeconds); // the reclaimed lease used nothing billable
        Assert.Equal(0, c.AsProvider.Leases);
        Assert.Equal(4, c.Lines.Count);
        var p = Statement.Build(Provider, leases);
        Assert.Equal(new BigInteger(2_970), p.AsProvider.Earned);
        Assert.Equal(new BigInteger(30), p.AsProvider.Fees);
        Assert.Equal(new BigInteger(75), p.AsProvider.PenaltiesPaid);
    }

    [Fact]
    public void Csv_has_a_header_and_one_row_per_lease()
    {
        var csv = Statement.Build(Consumer, [Settled(1, 1_000, 10, 500, 0)]).ToCsv().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Statement.CsvHeader, csv[0]);
        Assert.Equal("1,consumer,settled,met,1000,1000,10,990,500,0,,", csv[1]);
    }
}
