using System.Globalization;
using System.Numerics;
using Dapper;
using Market.Api.Infrastructure.Data;
using Market.Billing.Settlement;
using Market.Chain;
using Market.Chain.Contracts;

namespace Market.Api.Application.Billing;

/// <summary>Billing's state in the market database (tables of 0002_billing.sql); each save is one transaction.</summary>
public sealed class SqlSettlementStore(Database db) : ISettlementStore
{
    private const string LeaseColumns = """
        lease_id AS LeaseId, consumer, provider, offer_id AS OfferId, price, lock_amount AS LockAmount, penalty_bps AS PenaltyBps,
        usage_mncu_s AS Usage, verdict, evidence, state, batch_key AS BatchKey, batch_id AS BatchId, propose_tx AS ProposeTx,
        settle_tx AS SettleTx, charge, fee, provider_paid AS ProviderPaid, refund, penalty, updated_at AS UpdatedAt
        """;

    private const string BatchColumns = """
        batch_key AS BatchKey, state, entries, created_block AS CreatedBlock, created_at AS CreatedAt, batch_id AS BatchId,
        window_end_sec AS WindowEnd, fee_bps AS FeeBps, propose_tx AS ProposeTx, propose_block AS ProposeBlock, propose_gas AS ProposeGas,
        finalize_tx AS FinalizeTx, finalize_gas AS FinalizeGas
        """;

    private sealed record LeaseRow(long LeaseId, string Consumer, string Provider, long OfferId, string Price, string LockAmount, long PenaltyBps,
        string Usage, long Verdict, string Evidence, string State, string? BatchKey, string? BatchId, string? ProposeTx, string? SettleTx,
        string Charge, string Fee, string ProviderPaid, string Refund, string Penalty, long UpdatedAt);

    private sealed record BatchRow(string BatchKey, string State, string Entries, long CreatedBlock, long CreatedAt, string? BatchId, long WindowEnd,
        long FeeBps, string? ProposeTx, long ProposeBlock, string ProposeGas, string? FinalizeTx, string FinalizeGas);

    public async Task SaveAsync(BatchRecord? batch, IReadOnlyList<LeaseSettlement> leases, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (batch is not null)
            await c.ExecuteAsync(new CommandDefinition("""
                INSERT INTO billing_batches (batch_key, state, entries, created_block, created_at, batch_id, window_end_sec, fee_bps, propose_tx,
                    propose_block, propose_gas, finalize_tx, finalize_gas)
                VALUES (@BatchKey, @State, @Entries, @CreatedBlock, @CreatedAt, @BatchId, @WindowEnd, @FeeBps, @ProposeTx, @ProposeBlock, @ProposeGas,
                    @FinalizeTx, @FinalizeGas)
                ON CONFLICT (batch_key) DO UPDATE SET state = excluded.state, entries = excluded.entries, batch_id = excluded.batch_id,
                    window_end_sec = excluded.window_end_sec, fee_bps = excluded.fee_bps, propose_tx = excluded.propose_tx,
                    propose_block = excluded.propose_block, propose_gas = excluded.propose_gas, finalize_tx = excluded.finalize_tx,
                    finalize_gas = excluded.finalize_gas
                """, ToRow(batch), tx, cancellationToken: ct));
        foreach (var l in leases)
            await c.ExecuteAsync(new CommandDefinition("""
                INSERT INTO billing_leases (lease_id, consumer, provider, offer_id, price, lock_amount, penalty_bps, usage_mncu_s, verdict, evidence,
                    state, batch_key, batch_id, propose_tx, settle_tx, charge, fee, provider_paid, refund, penalty, updated_at)
                VALUES (@LeaseId, @Consumer, @Provider, @OfferId, @Price, @LockAmount, @PenaltyBps, @Usage, @Verdict, @Evidence, @State, @BatchKey,
                    @BatchId, @ProposeTx, @SettleTx, @Charge, @Fee, @ProviderPaid, @Refund, @Penalty, @UpdatedAt)
                ON CONFLICT (lease_id) DO UPDATE SET usage_mncu_s = excluded.usage_mncu_s, verdict = excluded.verdict, state = excluded.state,
                    batch_key = excluded.batch_key, batch_id = excluded.batch_id, propose_tx = excluded.propose_tx, settle_tx = excluded.settle_tx,
                    charge = excluded.charge, fee = excluded.fee, provider_paid = excluded.provider_paid, refund = excluded.refund,
                    penalty = excluded.penalty, updated_at = excluded.updated_at
                """, ToRow(l), tx, cancellationToken: ct));
        if (batch?.State == BatchState.Finalized)
            await MarkJobsSettledAsync(c, tx, leases.Where(l => l.State == LeaseBillingState.Settled), ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Records the money of each settled lease on its job (status and a timeline entry with charge, fee,
    /// refund and penalty). The lease's own status, and the engine's capacity release, belong to the
    /// indexer (BatchFinalized / LeaseSettled), which is the single writer of on-chain lease state.
    /// </summary>
    private static async Task MarkJobsSettledAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, IEnumerable<LeaseSettlement> settled,
        CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var l in settled)
        {
            var id = (long)l.LeaseId;
            var job = await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT job_id FROM leases WHERE id = @id", new { id }, tx, cancellationToken: ct));
            if (job is not { } j) continue;
            var changed = await c.ExecuteAsync(new CommandDefinition(
                "UPDATE jobs SET status = 'settled', updated_at = @now WHERE id = @j AND status NOT IN ('settled', 'reclaimed')",
                new { now, j }, tx, cancellationToken: ct));
            if (changed == 0) continue;
            await JobTimeline.AppendAsync(c, tx, j, "settled",
                $"charge {l.Charge}, fee {l.Fee}, refund {l.Refund}, penalty {l.Penalty} in {l.SettleTx}", now, ct);
        }
    }

    public Task<IReadOnlyList<BatchRecord>> UnfinishedBatchesAsync(CancellationToken ct) =>
        BatchesAsync($"SELECT {BatchColumns} FROM billing_batches WHERE state IN ('intent', 'proposed') ORDER BY created_at, batch_key", null, ct);

    public async Task<BatchRecord?> BatchAsync(string key, CancellationToken ct) =>
        (await BatchesAsync($"SELECT {BatchColumns} FROM billing_batches WHERE batch_key = @key", new { key }, ct)).FirstOrDefault();

    public Task<IReadOnlyList<LeaseSettlement>> LeasesOfBatchAsync(string key, CancellationToken ct) =>
        LeasesAsync($"SELECT {LeaseColumns} FROM billing_leases WHERE batch_key = @key ORDER BY lease_id", new { key }, ct);

    public Task<IReadOnlyList<LeaseSettlement>> HeldLeasesAsync(CancellationToken ct) =>
        LeasesAsync($"SELECT {LeaseColumns} FROM billing_leases WHERE state = 'disputed' ORDER BY lease_id", null, ct);

    public async Task<LeaseSettlement?> LeaseAsync(ulong leaseId, CancellationToken ct) =>
        (await LeasesAsync($"SELECT {LeaseColumns} FROM billing_leases WHERE lease_id = @id", new { id = (long)leaseId }, ct)).FirstOrDefault();

    public Task<IReadOnlyList<LeaseSettlement>> OfAccountAsync(Address account, CancellationToken ct) =>
        LeasesAsync($"SELECT {LeaseColumns} FROM billing_leases WHERE consumer = @a OR provider = @a ORDER BY lease_id", new { a = account.ToLowerHex() }, ct);

    private async Task<IReadOnlyList<LeaseSettlement>> LeasesAsync(string sql, object? args, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<LeaseRow>(new CommandDefinition(sql, args, cancellationToken: ct))).Select(FromRow).ToList();
    }

    private async Task<IReadOnlyList<BatchRecord>> BatchesAsync(string sql, object? args, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<BatchRow>(new CommandDefinition(sql, args, cancellationToken: ct))).Select(FromRow).ToList();
    }

    private static string S(BigInteger v) => v.ToString(CultureInfo.InvariantCulture);
    private static BigInteger B(string s) => BigInteger.Parse(s, CultureInfo.InvariantCulture);

    private static LeaseRow ToRow(LeaseSettlement l) => new((long)l.LeaseId, l.Consumer.ToLowerHex(), l.Provider.ToLowerHex(), (long)l.OfferId,
        S(l.PricePerNcuHour), S(l.LockAmount), l.PenaltyBps, S(l.Usage), (long)l.Verdict, l.Evidence, l.State.ToString().ToLowerInvariant(), l.BatchKey,
        l.BatchId is { } b ? S(b) : null, l.ProposeTx, l.SettleTx, S(l.Charge), S(l.Fee), S(l.ProviderPaid), S(l.Refund), S(l.Penalty), l.UpdatedAtMs);

    private static LeaseSettlement FromRow(LeaseRow r) => new()
    {
        LeaseId = (ulong)r.LeaseId, Consumer = Address.Parse(r.Consumer), Provider = Address.Parse(r.Provider), OfferId = (ulong)r.OfferId,
        PricePerNcuHour = B(r.Price), LockAmount = B(r.LockAmount), PenaltyBps = (ushort)r.PenaltyBps, Usage = B(r.Usage), Verdict = (Verdict)r.Verdict,
        Evidence = r.Evidence, State = Enum.Parse<LeaseBillingState>(r.State, ignoreCase: true), BatchKey = r.BatchKey,
        BatchId = r.BatchId is { } b ? B(b) : null, ProposeTx = r.ProposeTx, SettleTx = r.SettleTx, Charge = B(r.Charge), Fee = B(r.Fee),
        ProviderPaid = B(r.ProviderPaid), Refund = B(r.Refund), Penalty = B(r.Penalty), UpdatedAtMs = r.UpdatedAt,
    };

    private static BatchRow ToRow(BatchRecord b) => new(b.Key, b.State.ToString().ToLowerInvariant(), string.Join(',', b.Entries.Select(S)),
        (long)b.CreatedBlock, b.CreatedAtMs, b.BatchId is { } id ? S(id) : null, (long)b.WindowEnd, b.FeeBps, b.ProposeTx, (long)b.ProposeBlock,
        S(b.ProposeGas), b.FinalizeTx, S(b.FinalizeGas));

    private static BatchRecord FromRow(BatchRow r) => new()
    {
        Key = r.BatchKey, State = Enum.Parse<BatchState>(r.State, ignoreCase: true),
        Entries = r.Entries.Length == 0 ? [] : r.Entries.Split(',').Select(B).ToList(), CreatedBlock = (ulong)r.CreatedBlock, CreatedAtMs = r.CreatedAt,
        BatchId = r.BatchId is { } id ? B(id) : null, WindowEnd = (ulong)r.WindowEnd, FeeBps = (ushort)r.FeeBps, ProposeTx = r.ProposeTx,
        ProposeBlock = (ulong)r.ProposeBlock, ProposeGas = B(r.ProposeGas), FinalizeTx = r.FinalizeTx, FinalizeGas = B(r.FinalizeGas),
    };
}
