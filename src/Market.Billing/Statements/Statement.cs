using System.Globalization;
using System.Numerics;
using System.Text;
using Market.Billing.Settlement;
using Market.Chain;

namespace Market.Billing.Statements;

/// <summary>Totals of one account in one role, over its final (settled or reclaimed) leases. Amounts in base units.</summary>
public sealed record StatementTotals(int Leases, BigInteger UsedMilliNcuSeconds, BigInteger Paid, BigInteger Refunded, BigInteger Earned,
    BigInteger PenaltiesReceived, BigInteger PenaltiesPaid, BigInteger Fees);

/// <summary>One lease on a statement, seen from the account's role in it.</summary>
public sealed record StatementLine(ulong LeaseId, string Role, string State, string Verdict, BigInteger UsedMilliNcuSeconds, BigInteger Charge,
    BigInteger Fee, BigInteger ProviderPaid, BigInteger Refund, BigInteger Penalty, string? ProposeTx, string? SettleTx);

/// <summary>
/// A consumer's and provider's statement. As consumer: used, paid (= charges), refunded (lock − charge,
/// or the whole lock when reclaimed), penalties received, fees (included in what was paid). As provider:
/// used (sold), earned (charge − fee), fees withheld, penalties paid (slashed from stake).
/// Leases still in settlement are listed, but only final ones count in the totals.
/// </summary>
public sealed record Statement(string Address, StatementTotals AsConsumer, StatementTotals AsProvider, IReadOnlyList<StatementLine> Lines)
{
    public static Statement Build(Address account, IEnumerable<LeaseSettlement> leases)
    {
        var lines = new List<StatementLine>();
        foreach (var l in leases.OrderBy(l => l.LeaseId))
        {
            if (l.State == LeaseBillingState.Superseded) continue;
            if (l.Consumer == account) lines.Add(Line(l, "consumer"));
            if (l.Provider == account) lines.Add(Line(l, "provider"));
        }
        return new Statement(account.ToLowerHex(), Totals(lines, "consumer"), Totals(lines, "provider"), lines);
    }

    private static StatementLine Line(LeaseSettlement l, string role) => new(l.LeaseId, role, l.State.ToString().ToLowerInvariant(),
        Sla.SlaEvaluator.Name(l.Verdict), l.State == LeaseBillingState.Reclaimed ? 0 : l.Usage, l.Charge, l.Fee, l.ProviderPaid, l.Refund, l.Penalty,
        l.ProposeTx, l.SettleTx);

    private static StatementTotals Totals(List<StatementLine> lines, string role)
    {
        var final = lines.Where(l => l.Role == role && l.State is "settled" or "reclaimed").ToList();
        BigInteger Sum(Func<StatementLine, BigInteger> f) => final.Aggregate(BigInteger.Zero, (s, l) => s + f(l));
        var consumer = role == "consumer";
        return new StatementTotals(final.Count, Sum(l => l.UsedMilliNcuSeconds),
            consumer ? Sum(l => l.Charge) : 0, consumer ? Sum(l => l.Refund) : 0, consumer ? 0 : Sum(l => l.ProviderPaid),
            consumer ? Sum(l => l.Penalty) : 0, consumer ? 0 : Sum(l => l.Penalty), Sum(l => l.Fee));
    }

    public const string CsvHeader = "lease_id,role,state,verdict,used_mncu_s,charge,fee,provider_paid,refund,penalty,propose_tx,settle_tx";

    /// <summary>One row per lease and role (RFC 4180; every field is a number, a word or a hash, so nothing needs quoting).</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder(CsvHeader).Append("\r\n");
        foreach (var l in Lines)
            sb.Append(CultureInfo.InvariantCulture, $"{l.LeaseId},{l.Role},{l.State},{l.Verdict},{l.UsedMilliNcuSeconds},{l.Charge},{l.Fee},{l.ProviderPaid},{l.Refund},{l.Penalty},{l.ProposeTx},{l.SettleTx}\r\n");
        return sb.ToString();
    }
}
