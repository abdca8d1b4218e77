using System.Collections.Concurrent;
using Dapper;
using Market.Api.Infrastructure.Data;
using Market.Protocol.Agents;

namespace Market.Api.Application.Leases;

/// <summary>
/// Hands opened leases to their provider's agent. A lease belongs to the provider named on chain
/// and is never offered to anyone else; the agent long-polls, and the lease keeps being offered
/// until the agent reports on it (accepted, refused, running…), which makes delivery at-least-once
/// and lets a restarted agent pick up what it had not acknowledged.
/// </summary>
public sealed class LeaseDispatcher(Database db)
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new();

    /// <summary>Wakes the long-poll of <paramref name="provider"/> (lower-case hex).</summary>
    public void Notify(string provider)
    {
        if (_waiters.TryRemove(provider, out var tcs)) tcs.TrySetResult();
    }

    public async Task<IReadOnlyList<LeaseAssignment>> WaitForLeasesAsync(string provider, TimeSpan wait, CancellationToken ct)
    {
        var until = DateTime.UtcNow + wait;
        while (true)
        {
            // Register before reading, so a lease recorded between the read and the wait still wakes us.
            var signal = _waiters.GetOrAdd(provider, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            var leases = await PendingAsync(provider, ct);
            var left = until - DateTime.UtcNow;
            if (leases.Count > 0 || left <= TimeSpan.Zero) return leases;
            try { await signal.Task.WaitAsync(left, ct); }
            catch (TimeoutException) { return []; }
        }
    }

    private async Task<IReadOnlyList<LeaseAssignment>> PendingAsync(string provider, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<LeaseRow>(new CommandDefinition("""
            SELECT l.id AS LeaseId, l.job_id AS JobId, l.consumer, l.offer_id AS OfferId, l.job_spec_hash AS JobSpecHash, j.spec_json AS SpecJson,
                l.milli_ncu AS MilliNcu, l.price, l.max_duration_sec AS MaxDurationSec, l.start_sec AS StartSec
            FROM leases l JOIN jobs j ON j.id = l.job_id
            WHERE l.provider = @provider AND l.status = 'open' AND l.agent_status IS NULL
            ORDER BY l.id LIMIT 64
            """, new { provider }, cancellationToken: ct));
        return rows.Select(r => new LeaseAssignment(r.LeaseId, r.JobId, r.Consumer, r.OfferId, r.JobSpecHash, r.SpecJson,
            r.MilliNcu, r.Price, (int)r.MaxDurationSec, r.StartSec)).ToList();
    }

    private sealed record LeaseRow(long LeaseId, long JobId, string Consumer, long OfferId, string JobSpecHash, string SpecJson,
        long MilliNcu, string Price, long MaxDurationSec, long StartSec);
}
