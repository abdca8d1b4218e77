using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Dapper;
using Market.Api.Infrastructure.Data;
using Market.Billing.Settlement;
using Market.Billing.Sla;
using Market.Billing.Statements;
using Market.Chain;

namespace Market.Api.Application.Billing;

/// <summary>Settlement of a job and statements of an account, for the API and the CLI. Amounts are decimal strings (base units).</summary>
public sealed class BillingQueries(Database db, SqlSettlementStore store)
{
    /// <summary>
    /// <c>State</c>: "unleased" (no lease yet), "pending" (lease open, not yet judged), then billing's state:
    /// planned, proposed, disputed, settled, reclaimed.
    /// </summary>
    public sealed record JobSettlement(long JobId, long? LeaseId, string State, string? Verdict, string? UsageMilliNcuSeconds, string? LockAmount,
        string? Charge, string? Fee, string? PaidToProvider, string? Refunded, string? Penalty, string? BatchId, long? WindowEndSec,
        string? ProposeTx, string? SettleTx, JsonElement? Evidence);

    public sealed record Totals(int Leases, string UsedMilliNcuSeconds, string Paid, string Refunded, string Earned, string PenaltiesReceived,
        string PenaltiesPaid, string Fees);

    public sealed record Line(long LeaseId, string Role, string State, string Verdict, string UsedMilliNcuSeconds, string Charge, string Fee,
        string ProviderPaid, string Refund, string Penalty, string? ProposeTx, string? SettleTx);

    public sealed record StatementView(string Address, Totals AsConsumer, Totals AsProvider, IReadOnlyList<Line> Lines);

    /// <summary>The settlement of a job of <paramref name="caller"/>; another wallet's job is answered 404 like a missing one.</summary>
    public async Task<JobSettlement> JobAsync(long jobId, string caller, CancellationToken ct)
    {
        (string Consumer, long? LeaseId)? job;
        await using (var c = await db.OpenAsync(ct))
            job = await c.QuerySingleOrDefaultAsync<(string, long?)?>(new CommandDefinition(
                "SELECT consumer, lease_id FROM jobs WHERE id = @jobId", new { jobId }, cancellationToken: ct));
        if (job is not { } j || !string.Equals(j.Consumer, caller, StringComparison.OrdinalIgnoreCase)) throw MarketException.NotFound($"job {jobId}");
        if (j.LeaseId is not { } leaseId) return new(jobId, null, "unleased", null, null, null, null, null, null, null, null, null, null, null, null, null);
        var s = await store.LeaseAsync((ulong)leaseId, ct);
        if (s is null) return new(jobId, leaseId, "pending", null, null, null, null, null, null, null, null, null, null, null, null, null);
        var batch = s.BatchKey is { } k ? await store.BatchAsync(k, ct) : null;
        var final = s.IsFinal;
        return new(jobId, leaseId, s.State.ToString().ToLowerInvariant(), SlaEvaluator.Name(s.Verdict), S(s.Usage), S(s.LockAmount),
            final ? S(s.Charge) : null, final ? S(s.Fee) : null, final ? S(s.ProviderPaid) : null, final ? S(s.Refund) : null, final ? S(s.Penalty) : null,
            s.BatchId is { } b ? S(b) : null, batch?.WindowEnd is > 0 ? (long)batch.WindowEnd : null, s.ProposeTx, s.SettleTx,
            JsonDocument.Parse(s.Evidence).RootElement.Clone());
    }

    public async Task<Statement> StatementAsync(Address account, CancellationToken ct) => Statement.Build(account, await store.OfAccountAsync(account, ct));

    public static StatementView View(Statement s) => new(s.Address, View(s.AsConsumer), View(s.AsProvider),
        s.Lines.Select(l => new Line((long)l.LeaseId, l.Role, l.State, l.Verdict, S(l.UsedMilliNcuSeconds), S(l.Charge), S(l.Fee), S(l.ProviderPaid),
            S(l.Refund), S(l.Penalty), l.ProposeTx, l.SettleTx)).ToList());

    private static Totals View(StatementTotals t) => new(t.Leases, S(t.UsedMilliNcuSeconds), S(t.Paid), S(t.Refunded), S(t.Earned),
        S(t.PenaltiesReceived), S(t.PenaltiesPaid), S(t.Fees));

    private static string S(BigInteger v) => v.ToString(CultureInfo.InvariantCulture);
}
