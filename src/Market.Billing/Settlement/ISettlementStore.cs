using Market.Billing.Sla;
using Market.Chain;

namespace Market.Billing.Settlement;

/// <summary>
/// Billing's durable state. <see cref="SaveAsync"/> writes a batch and leases atomically (upserts):
/// an intent is on disk before its transaction is sent, so a restart can reconcile it with the chain.
/// </summary>
public interface ISettlementStore
{
    Task SaveAsync(BatchRecord? batch, IReadOnlyList<LeaseSettlement> leases, CancellationToken ct);
    Task<IReadOnlyList<BatchRecord>> UnfinishedBatchesAsync(CancellationToken ct);
    Task<BatchRecord?> BatchAsync(string key, CancellationToken ct);
    Task<IReadOnlyList<LeaseSettlement>> LeasesOfBatchAsync(string key, CancellationToken ct);
    Task<IReadOnlyList<LeaseSettlement>> HeldLeasesAsync(CancellationToken ct);
    Task<LeaseSettlement?> LeaseAsync(ulong leaseId, CancellationToken ct);
    Task<IReadOnlyList<LeaseSettlement>> OfAccountAsync(Address account, CancellationToken ct);
}

/// <summary>Leases open on chain that billing has not taken up yet, with what is known of them.</summary>
public interface ILeaseSource
{
    Task<IReadOnlyList<LeaseFacts>> UnsettledAsync(int limit, CancellationToken ct);
}
