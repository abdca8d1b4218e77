using System.Globalization;
using System.Numerics;
using Dapper;
using Market.Api.Infrastructure.Data;
using Market.Billing.Settlement;
using Market.Billing.Sla;
using Market.Chain;

namespace Market.Api.Application.Billing;

/// <summary>
/// Leases billing has not taken up yet (open, or reclaimed before billing saw them), with the agent's
/// reports: status, exit code, running/ended times, accepted usage, and the moments its agent was
/// seen (heartbeats sampled into billing_sightings on every poll, plus usage-report ends). Leases that
/// ended (or were reclaimed) come first, then by their deadline, so running leases never crowd due ones
/// out of the scan limit.
/// </summary>
public sealed class LeaseFactsSource(Database db) : ILeaseSource
{
    private sealed record Row(long Id, string Consumer, string Provider, long OfferId, long MilliNcu, string Price, string LockAmount, long StartSec,
        long MaxDurationSec, long UptimeBps, long PenaltyBps, long? RunningAt, long? EndedAt, string? AgentStatus, long? ExitCode, string? AgentDetail);

    public async Task<IReadOnlyList<LeaseFacts>> UnsettledAsync(int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        // Heartbeats are kept per provider (last one only): remember each one while a lease runs.
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO billing_sightings (lease_id, at_sec)
            SELECT l.id, h.at / 1000 FROM leases l JOIN agent_heartbeats h ON h.address = l.provider
            WHERE l.status = 'open' AND l.ended_at IS NULL AND h.at / 1000 >= l.start_sec
            ON CONFLICT (lease_id, at_sec) DO NOTHING
            """, cancellationToken: ct));
        var rows = (await c.QueryAsync<Row>(new CommandDefinition("""
            SELECT l.id, l.consumer, l.provider, l.offer_id AS OfferId, l.milli_ncu AS MilliNcu, l.price, l.lock_amount AS LockAmount,
                l.start_sec AS StartSec, l.max_duration_sec AS MaxDurationSec, o.uptime_bps AS UptimeBps, o.penalty_bps AS PenaltyBps,
                l.running_at AS RunningAt, l.ended_at AS EndedAt, l.agent_status AS AgentStatus, l.exit_code AS ExitCode, l.agent_detail AS AgentDetail
            FROM leases l JOIN offers o ON o.id = l.offer_id
            WHERE l.status IN ('open', 'reclaimed') AND NOT EXISTS (SELECT 1 FROM billing_leases b WHERE b.lease_id = l.id)
            ORDER BY CASE WHEN l.ended_at IS NULL AND l.status = 'open' THEN 1 ELSE 0 END, l.start_sec + l.max_duration_sec, l.id
            LIMIT @limit
            """, new { limit }, cancellationToken: ct))).ToList();
        if (rows.Count == 0) return [];
        var ids = rows.Select(r => r.Id).ToArray();
        // Dapper expands "IN @ids" into a list for SQLite but sends an array to PostgreSQL.
        var inIds = db.Dialect == DbDialect.Postgres ? "= ANY(@ids)" : "IN @ids";
        var seen = (await c.QueryAsync<(long LeaseId, long At)>(new CommandDefinition($"""
            SELECT lease_id, at_sec FROM billing_sightings WHERE lease_id {inIds}
            UNION SELECT lease_id, to_sec FROM usage_reports WHERE lease_id {inIds}
            """, new { ids }, cancellationToken: ct))).ToLookup(s => s.LeaseId, s => (ulong)s.At);
        var usage = (await c.QueryAsync<(long LeaseId, long Usage)>(new CommandDefinition(
            $"SELECT lease_id, CAST(SUM(milli_ncu_seconds) AS BIGINT) FROM usage_reports WHERE lease_id {inIds} GROUP BY lease_id", new { ids }, cancellationToken: ct)))
            .ToDictionary(u => u.LeaseId, u => u.Usage);
        return rows.Select(r => ToFacts(r, seen[r.Id].Order().ToList(), usage.GetValueOrDefault(r.Id))).ToList();
    }

    /// <summary>
    /// At start-up: a sighting (wall-clock seconds, like heartbeats) of every running lease's agent, so
    /// after a restart agents get a full heartbeat timeout to reach the new process before billing
    /// judges them silent.
    /// </summary>
    public async Task SightRunningLeasesAsync(long nowSec, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO billing_sightings (lease_id, at_sec)
            SELECT id, @nowSec FROM leases WHERE status = 'open' AND ended_at IS NULL
            ON CONFLICT (lease_id, at_sec) DO NOTHING
            """, new { nowSec }, cancellationToken: ct));
    }

    private static LeaseFacts ToFacts(Row r, List<ulong> seen, long usage)
    {
        var ran = r.RunningAt is not null;
        return new LeaseFacts((ulong)r.Id, Address.Parse(r.Consumer), Address.Parse(r.Provider), (ulong)r.OfferId, (ulong)r.MilliNcu,
            BigInteger.Parse(r.Price, CultureInfo.InvariantCulture), BigInteger.Parse(r.LockAmount, CultureInfo.InvariantCulture), (ulong)r.StartSec,
            (uint)r.MaxDurationSec, (ushort)r.UptimeBps, (ushort)r.PenaltyBps, Sec(r.RunningAt), Sec(r.EndedAt),
            LeaseFacts.OutcomeOf(r.AgentStatus, (int?)r.ExitCode, r.AgentDetail, ran), (int?)r.ExitCode, seen, usage);
    }

    private static ulong? Sec(long? ms) => ms is { } v ? (ulong)(v / 1000) : null;
}
