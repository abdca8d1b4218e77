using Market.Billing.Sla;
using Market.Chain;

namespace Market.Billing.Settlement;

/// <summary>A store in memory (tests, the bench harness). Thread-safe; survives an engine's restart, not the process's.</summary>
public sealed class InMemorySettlementStore : ISettlementStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, BatchRecord> _batches = [];
    private readonly Dictionary<ulong, LeaseSettlement> _leases = [];

    public Task SaveAsync(BatchRecord? batch, IReadOnlyList<LeaseSettlement> leases, CancellationToken ct)
    {
        lock (_lock)
        {
            if (batch is not null) _batches[batch.Key] = batch;
            foreach (var l in leases) _leases[l.LeaseId] = l;
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<BatchRecord>> UnfinishedBatchesAsync(CancellationToken ct) =>
        Read(() => (IReadOnlyList<BatchRecord>)_batches.Values.Where(b => b.State is BatchState.Intent or BatchState.Proposed).OrderBy(b => b.CreatedAtMs).ToList());

    public Task<BatchRecord?> BatchAsync(string key, CancellationToken ct) => Read(() => _batches.GetValueOrDefault(key));

    public Task<IReadOnlyList<LeaseSettlement>> LeasesOfBatchAsync(string key, CancellationToken ct) =>
        Read(() => (IReadOnlyList<LeaseSettlement>)_leases.Values.Where(l => l.BatchKey == key).OrderBy(l => l.LeaseId).ToList());

    public Task<IReadOnlyList<LeaseSettlement>> HeldLeasesAsync(CancellationToken ct) =>
        Read(() => (IReadOnlyList<LeaseSettlement>)_leases.Values.Where(l => l.State == LeaseBillingState.Disputed).ToList());

    public Task<LeaseSettlement?> LeaseAsync(ulong leaseId, CancellationToken ct) => Read(() => _leases.GetValueOrDefault(leaseId));

    public Task<IReadOnlyList<LeaseSettlement>> OfAccountAsync(Address account, CancellationToken ct) =>
        Read(() => (IReadOnlyList<LeaseSettlement>)_leases.Values.Where(l => l.Consumer == account || l.Provider == account).OrderBy(l => l.LeaseId).ToList());

    public bool Knows(ulong leaseId) { lock (_lock) return _leases.ContainsKey(leaseId); }

    private Task<T> Read<T>(Func<T> f) { lock (_lock) return Task.FromResult(f()); }
}

/// <summary>A lease source over a list the caller fills (tests, bench): leases the store has not seen.</summary>
public sealed class ListLeaseSource(InMemorySettlementStore store) : ILeaseSource
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, LeaseFacts> _facts = [];

    public void Set(LeaseFacts f) { lock (_lock) _facts[f.LeaseId] = f; }

    public Task<IReadOnlyList<LeaseFacts>> UnsettledAsync(int limit, CancellationToken ct)
    {
        lock (_lock)
            return Task.FromResult((IReadOnlyList<LeaseFacts>)_facts.Values.Where(f => !store.Knows(f.LeaseId)).OrderBy(f => f.LeaseId).Take(limit).ToList());
    }
}
