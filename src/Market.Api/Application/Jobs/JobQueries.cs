using Dapper;
using Market.Api.Infrastructure.Data;

namespace Market.Api.Application.Jobs;

/// <summary>Read side of jobs: what a consumer sees of its own jobs.</summary>
public sealed class JobQueries(Database db)
{
    public sealed record JobView(long Id, string Status, string Consumer, int ComputeType, int Grade, long MilliNcu, string MaxPricePerNcuHour,
        long MaxDurationSec, string JobSpecHash, string Nonce, long Deadline, long? OfferId, long? LeaseId, string? Provider,
        string? PricePerNcuHour, long CreatedAt, long UpdatedAt, IReadOnlyList<TimelineEntry> Timeline, LeaseView? Lease, object Spec);

    public sealed record TimelineEntry(long Seq, long At, string Status, string? Detail);

    public sealed record LeaseView(long Id, string Provider, long OfferId, string PricePerNcuHour, string LockAmount, long StartSec,
        string Status, string OpenTx, string? AgentStatus, long? ExitCode, string? AgentDetail);

    public sealed record JobSummary(long Id, string Status, long ComputeType, long Grade, long MilliNcu, long? LeaseId, string? PricePerNcuHour, long CreatedAt);

    public sealed record LogLine(long Seq, string Stream, long At, string Data);

    private sealed record JobRow(long Id, string Status, string Consumer, long ComputeType, long Grade, long MilliNcu, string MaxPrice,
        long MaxDurationSec, string SpecHash, string Nonce, long DeadlineSec, long? OfferId, long? LeaseId, string? Provider,
        string? Price, long CreatedAt, long UpdatedAt, string SpecJson);

    /// <summary>The job if <paramref name="owner"/> owns it; 404 otherwise (so ids of others' jobs reveal nothing).</summary>
    public async Task<JobView> GetAsync(long id, string owner, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var j = await c.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition("""
            SELECT id, status, consumer, compute_type AS ComputeType, grade, milli_ncu AS MilliNcu, max_price AS MaxPrice,
                max_duration_sec AS MaxDurationSec, spec_hash AS SpecHash, nonce, deadline_sec AS DeadlineSec, offer_id AS OfferId,
                lease_id AS LeaseId, provider, price, created_at AS CreatedAt, updated_at AS UpdatedAt, spec_json AS SpecJson
            FROM jobs WHERE id = @id
            """, new { id }, cancellationToken: ct));
        if (j is null || j.Consumer != owner) throw MarketException.NotFound($"job {id}");
        var timeline = (await c.QueryAsync<TimelineEntry>(new CommandDefinition(
            "SELECT seq, at, status, detail FROM job_events WHERE job_id = @id ORDER BY seq", new { id }, cancellationToken: ct))).ToList();
        LeaseView? lease = null;
        if (j.LeaseId is { } lid)
            lease = await c.QuerySingleOrDefaultAsync<LeaseView>(new CommandDefinition("""
                SELECT id, provider, offer_id AS OfferId, price AS PricePerNcuHour, lock_amount AS LockAmount, start_sec AS StartSec, status,
                    open_tx AS OpenTx, agent_status AS AgentStatus, exit_code AS ExitCode, agent_detail AS AgentDetail
                FROM leases WHERE id = @lid
                """, new { lid }, cancellationToken: ct));
        return new JobView(j.Id, j.Status, j.Consumer, (int)j.ComputeType, (int)j.Grade, j.MilliNcu, j.MaxPrice, j.MaxDurationSec, j.SpecHash,
            j.Nonce, j.DeadlineSec, j.OfferId, j.LeaseId, j.Provider, j.Price, j.CreatedAt, j.UpdatedAt, timeline, lease,
            System.Text.Json.JsonDocument.Parse(j.SpecJson).RootElement.Clone());
    }

    public async Task<IReadOnlyList<JobSummary>> ListAsync(string owner, long? before, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<JobSummary>(new CommandDefinition("""
            SELECT id, status, compute_type AS ComputeType, grade, milli_ncu AS MilliNcu, lease_id AS LeaseId, price AS PricePerNcuHour, created_at AS CreatedAt
            FROM jobs WHERE consumer = @owner AND id < @before ORDER BY id DESC LIMIT @limit
            """, new { owner, before = before ?? long.MaxValue, limit }, cancellationToken: ct))).ToList();
    }

    public async Task<IReadOnlyList<LogLine>> LogsAsync(long id, string owner, long after, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await RequireOwnerAsync(c, id, owner, ct);
        return (await c.QueryAsync<LogLine>(new CommandDefinition(
            "SELECT seq, stream, at, data FROM job_logs WHERE job_id = @id AND seq > @after ORDER BY seq LIMIT 1000",
            new { id, after }, cancellationToken: ct))).ToList();
    }

    public async Task<(string ContentType, byte[] Data)?> ResultAsync(long id, string owner, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await RequireOwnerAsync(c, id, owner, ct);
        var r = await c.QuerySingleOrDefaultAsync<(string ContentType, string Data)?>(new CommandDefinition(
            "SELECT content_type, data FROM job_results WHERE job_id = @id", new { id }, cancellationToken: ct));
        return r is { } x ? (x.ContentType, Convert.FromBase64String(x.Data)) : null;
    }

    public async Task<string> StatusAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<string>(new CommandDefinition("SELECT status FROM jobs WHERE id = @id", new { id }, cancellationToken: ct)) ?? "";
    }

    private static async Task RequireOwnerAsync(System.Data.Common.DbConnection c, long id, string owner, CancellationToken ct)
    {
        var consumer = await c.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT consumer FROM jobs WHERE id = @id", new { id }, cancellationToken: ct));
        if (consumer != owner) throw MarketException.NotFound($"job {id}");
    }
}
