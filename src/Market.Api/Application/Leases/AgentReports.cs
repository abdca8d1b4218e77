using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using Market.Api.Infrastructure.Data;
using Market.Protocol.Agents;

namespace Market.Api.Application.Leases;

/// <summary>
/// What agents report about their leases. Every write first checks that the lease belongs to the
/// calling provider; a lease of someone else's is answered 404, exactly like one that does not exist.
/// </summary>
public sealed class AgentReports(Database db, TimeProvider clock, Market.Api.Infrastructure.Chain.ChainContext chain,
    Market.Api.Infrastructure.Chain.ChainClock chainClock)
{
    public const int MaxLogChunk = 64 * 1024;
    public const long MaxLogBytesPerJob = 4 * 1024 * 1024;
    public const int MaxResultBytes = 1024 * 1024;

    private static readonly Dictionary<LeaseStatus, string> JobStatus = new()
    {
        [LeaseStatus.Accepted] = "leased", [LeaseStatus.Starting] = "leased", [LeaseStatus.Running] = "running",
        [LeaseStatus.Exited] = "exited", [LeaseStatus.Failed] = "failed", [LeaseStatus.Refused] = "refused",
        [LeaseStatus.Cancelled] = "cancelled", [LeaseStatus.TimedOut] = "failed",
    };

    private static bool IsTerminal(LeaseStatus s) => s is LeaseStatus.Exited or LeaseStatus.Failed or LeaseStatus.Refused or LeaseStatus.Cancelled or LeaseStatus.TimedOut;

    public async Task HeartbeatAsync(string provider, Heartbeat h, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO agent_heartbeats (address, at, version, free_milli_ncu, running) VALUES (@provider, @at, @v, @free, @running)
            ON CONFLICT (address) DO UPDATE SET at = excluded.at, version = excluded.version, free_milli_ncu = excluded.free_milli_ncu, running = excluded.running
            """, new { provider, at = clock.GetUtcNow().ToUnixTimeMilliseconds(), v = h.AgentVersion, free = h.FreeMilliNcu, running = string.Join(',', h.RunningLeases) },
            cancellationToken: ct));
    }

    /// <summary>Leases of this provider whose consumer asked to cancel.</summary>
    public async Task<IReadOnlyList<long>> CancelRequestsAsync(string provider, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<long>(new CommandDefinition("""
            SELECT l.id FROM leases l JOIN jobs j ON j.id = l.job_id WHERE l.provider = @provider AND j.status = 'cancelling'
            """, new { provider }, cancellationToken: ct))).ToList();
    }

    public async Task StatusAsync(string provider, long leaseId, LeaseStatusReport r, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var (jobId, agentStatus) = await OwnedAsync(c, tx, provider, leaseId, ct);
        if (agentStatus is { } prior && Enum.TryParse<LeaseStatus>(prior, out var p) && IsTerminal(p))
            throw MarketException.Conflict("lease-finished", $"lease {leaseId} already ended as {prior}");
        var detail = r.Detail is { Length: > 1000 } d ? d[..1000] : r.Detail;
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE leases SET agent_status = @s, exit_code = COALESCE(@exit, exit_code), agent_detail = COALESCE(@detail, agent_detail),
                running_at = CASE WHEN @running THEN COALESCE(running_at, @now) ELSE running_at END,
                ended_at = CASE WHEN @ended THEN @now ELSE ended_at END
            WHERE id = @leaseId
            """, new { s = r.Status.ToString(), exit = (long?)r.ExitCode, detail, running = r.Status == LeaseStatus.Running, ended = IsTerminal(r.Status), now, leaseId },
            tx, cancellationToken: ct));
        var status = JobStatus[r.Status];
        var changed = await c.ExecuteAsync(new CommandDefinition(
            "UPDATE jobs SET status = @status, updated_at = @now WHERE id = @jobId AND status <> @status AND status NOT IN ('settled', 'reclaimed')",
            new { status, now, jobId }, tx, cancellationToken: ct));
        if (changed == 1)
            await JobTimeline.AppendAsync(c, tx, jobId, status, r.ExitCode is { } e ? $"exit code {e}" + (detail is null ? "" : $": {detail}") : detail, now, ct);
        await tx.CommitAsync(ct);
    }

    public async Task LogAsync(string provider, long leaseId, LogChunk chunk, CancellationToken ct)
    {
        if (chunk.Data.Length > MaxLogChunk) throw new MarketException(413, "log-chunk-too-large", $"a log chunk is at most {MaxLogChunk} characters");
        if (chunk.Stream is not ("stdout" or "stderr" or "system")) throw MarketException.Invalid("bad-stream", "stream must be stdout, stderr or system");
        if (chunk.Seq < 1) throw MarketException.Invalid("bad-seq", "seq starts at 1");
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var (jobId, _) = await OwnedAsync(c, tx, provider, leaseId, ct);
        var total = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT SUM(LENGTH(data)) FROM job_logs WHERE job_id = @jobId", new { jobId }, tx, cancellationToken: ct)) ?? 0;
        if (total + chunk.Data.Length > MaxLogBytesPerJob)
            throw new MarketException(413, "log-quota-exceeded", $"a job keeps at most {MaxLogBytesPerJob} characters of logs");
        // A retried chunk (same seq) is stored once.
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO job_logs (job_id, seq, stream, at, data) VALUES (@jobId, @seq, @stream, @at, @data) ON CONFLICT (job_id, seq) DO NOTHING
            """, new { jobId, seq = chunk.Seq, stream = chunk.Stream, at = clock.GetUtcNow().ToUnixTimeMilliseconds(), data = chunk.Data }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    public async Task ResultAsync(string provider, long leaseId, string contentType, byte[] data, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var (jobId, _) = await OwnedAsync(c, tx, provider, leaseId, ct);
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO job_results (job_id, content_type, data, size, sha256, at) VALUES (@jobId, @contentType, @data, @size, @sha, @at)
            ON CONFLICT (job_id) DO UPDATE SET content_type = excluded.content_type, data = excluded.data, size = excluded.size, sha256 = excluded.sha256, at = excluded.at
            """, new
        {
            jobId, contentType, data = Convert.ToBase64String(data), size = (long)data.Length,
            sha = Convert.ToHexStringLower(SHA256.HashData(data)), at = clock.GetUtcNow().ToUnixTimeMilliseconds(),
        }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Records a signed usage report if the ledger accepts it (see <see cref="Market.Billing.Metering.UsageLedger"/>);
    /// a retried identical report is accepted again without being stored twice.
    /// </summary>
    public async Task UsageAsync(string provider, long leaseId, Market.Protocol.Agents.UsageReport body, CancellationToken ct)
    {
        if (body.Seq < 1 || body.FromSec < 0 || body.ToSec < 0 || body.MilliNcuSeconds < 0)
            throw MarketException.Invalid("bad-usage", "seq ≥ 1 and non-negative times and usage are required");
        byte[] signature;
        try { signature = Market.Chain.Hex.Decode(body.Signature, 65); }
        catch (Market.Chain.ChainException) { throw MarketException.Invalid("bad-signature", "signature must be 65 bytes of 0x-hex"); }
        var signer = chain.Require().UsageSigner;
        // Fresh: the report may cover seconds of blocks mined since the clock's last read.
        var now = (ulong)await chainClock.NowAsync(ct, fresh: true);
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await OwnedAsync(c, tx, provider, leaseId, ct);
        var lease = await c.QuerySingleAsync<(string Provider, long MilliNcu, long StartSec, long MaxDurationSec)>(new CommandDefinition(
            "SELECT provider, milli_ncu, start_sec, max_duration_sec FROM leases WHERE id = @leaseId", new { leaseId }, tx, cancellationToken: ct));
        var prior = (await c.QueryAsync<(long Seq, long From, long To, long Usage)>(new CommandDefinition(
            "SELECT seq, from_sec, to_sec, milli_ncu_seconds FROM usage_reports WHERE lease_id = @leaseId ORDER BY seq", new { leaseId }, tx, cancellationToken: ct)))
            .Select(p => new Market.Chain.Usage.UsageReport((ulong)leaseId, (ulong)p.Seq, (ulong)p.From, (ulong)p.To, (ulong)p.Usage)).ToList();
        var report = new Market.Chain.Usage.UsageReport((ulong)leaseId, (ulong)body.Seq, (ulong)body.FromSec, (ulong)body.ToSec, (ulong)body.MilliNcuSeconds);
        var terms = new Market.Billing.Metering.LeaseTerms((ulong)leaseId, Market.Chain.Address.Parse(lease.Provider), (ulong)lease.MilliNcu, (ulong)lease.StartSec, (uint)lease.MaxDurationSec);
        var decision = Market.Billing.Metering.UsageLedger.Check(terms, prior, report, signature, signer, now);
        if (!decision.Ok)
        {
            var code = "usage-" + decision.Verdict.ToString().ToLowerInvariant();
            throw decision.Verdict is Market.Billing.Metering.UsageVerdict.Conflict or Market.Billing.Metering.UsageVerdict.OutOfOrder
                ? MarketException.Conflict(code, decision.Detail) : MarketException.Invalid(code, decision.Detail);
        }
        if (decision.Stored)
            await c.ExecuteAsync(new CommandDefinition("""
                INSERT INTO usage_reports (lease_id, seq, from_sec, to_sec, milli_ncu_seconds, signature, received_at)
                VALUES (@leaseId, @seq, @from, @to, @usage, @sig, @at)
                """, new
            {
                leaseId, seq = body.Seq, from = body.FromSec, to = body.ToSec, usage = body.MilliNcuSeconds,
                sig = Market.Chain.Hex.Encode(signature), at = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    private static async Task<(long JobId, string? AgentStatus)> OwnedAsync(DbConnection c, DbTransaction tx, string provider, long leaseId, CancellationToken ct)
    {
        var row = await c.QuerySingleOrDefaultAsync<(string Provider, long? JobId, string? AgentStatus)?>(new CommandDefinition(
            "SELECT provider, job_id, agent_status FROM leases WHERE id = @leaseId", new { leaseId }, tx, cancellationToken: ct));
        if (row is not { } r || r.Provider != provider || r.JobId is null) throw MarketException.NotFound($"lease {leaseId}");
        return (r.JobId.Value, r.AgentStatus);
    }
}
