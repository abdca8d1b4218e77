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
    // provider → lease → when it was last handed out. An agent polls again as soon as an answer
    // arrives, while it is still verifying what it got: without this the same unacknowledged leases
    // came straight back in a busy loop that ate the CPU both sides needed (seen in the e2e bench).
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<long, DateTime>> _delivered = new();

    /// <summary>How long a delivered lease waits for its agent's report before it is offered again.</summary>
    public TimeSpan RedeliverAfter { get; init; } = TimeSpan.FromSeconds(3);

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
            var (leases, nextRedelivery) = Due(provider, await PendingAsync(provider, ct));
            var left = until - DateTime.UtcNow;
            if (leases.Count > 0 || left <= TimeSpan.Zero) return leases;
            try { await signal.Task.WaitAsync(nextRedelivery is { } r && r < left ? r : left, ct); }
            catch (TimeoutException) when (nextRedelivery is not null && nextRedelivery < left) { }
            catch (TimeoutException) { return []; }
        }
    }

    /// <summary>The pending leases not handed out in the last <see cref="RedeliverAfter"/> (now marked as handed out), and when the next one is due.</summary>
    private (IReadOnlyList<LeaseAssignment>, TimeSpan?) Due(string provider, IReadOnlyList<LeaseAssignment> pending)
    {
        var now = DateTime.UtcNow;
        var sent = _delivered.GetOrAdd(provider, _ => new());
        var ids = pending.Select(l => l.LeaseId).ToHashSet();
        foreach (var id in sent.Keys) if (!ids.Contains(id)) sent.TryRemove(id, out _); // reported on: no longer pending
        var due = new List<LeaseAssignment>();
        TimeSpan? next = null;
        foreach (var l in pending)
        {
            if (sent.TryGetValue(l.LeaseId, out var at) && now - at < RedeliverAfter)
            {
                var wait = RedeliverAfter - (now - at);
                if (next is null || wait < next) next = wait;
                continue;
            }
            sent[l.LeaseId] = now;
            due.Add(l);
        }
        return (due, next);
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
