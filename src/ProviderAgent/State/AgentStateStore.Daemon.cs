using Microsoft.Data.Sqlite;

namespace ProviderAgent.State;

/// <summary>
/// The daemon's lease rows and its outbox. Every report the agent owes the market is written to the
/// outbox in the same transaction as the progress it describes (a log offset, a usage interval, a
/// phase), so a crash can neither lose a report nor send one twice with different contents.
/// </summary>
public sealed partial class AgentStateStore
{
    private const string RunColumns = """
        lease_id, status, container_id, job_spec_hash, assignment_json, anchor_ms, run_start_ms, run_end_ms,
        stdout_offset, stderr_offset, log_seq, log_bytes, usage_seq, usage_to_sec, milli_ncu, cancel_requested,
        final_status, exit_code, detail
        """;

    /// <summary>Records a newly received lease; false when it is already known (the dispatcher re-delivers).</summary>
    public bool TryInsertLeaseRun(string leaseId, string assignmentJson, string? jobSpecHash, long anchorMs)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            INSERT INTO leases (lease_id, status, job_spec_hash, assignment_json, anchor_ms, updated_at)
            VALUES ($lease, 'Received', $hash, $json, $anchor, $now) ON CONFLICT(lease_id) DO NOTHING;
            """;
        cmd.Parameters.AddWithValue("$lease", leaseId);
        cmd.Parameters.AddWithValue("$hash", (object?)jobSpecHash ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$json", assignmentJson);
        cmd.Parameters.AddWithValue("$anchor", anchorMs);
        cmd.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToString("O"));
        return cmd.ExecuteNonQuery() == 1;
    }

    public LeaseRun? GetLeaseRun(string leaseId) =>
        QueryRuns("WHERE lease_id = $lease AND assignment_json IS NOT NULL", ("$lease", leaseId)).FirstOrDefault();

    /// <summary>Leases the daemon has not finished with (not Done, not Refused), oldest first.</summary>
    public IReadOnlyList<LeaseRun> ListOpenLeaseRuns() =>
        QueryRuns("WHERE assignment_json IS NOT NULL AND status NOT IN ('Done', 'Refused') ORDER BY anchor_ms");

    public IReadOnlyList<LeaseRun> ListLeaseRuns() => QueryRuns("WHERE assignment_json IS NOT NULL ORDER BY anchor_ms");

    private List<LeaseRun> QueryRuns(string where, params (string Name, object Value)[] args)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT {RunColumns} FROM leases {where};";
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v);
        using var r = cmd.ExecuteReader();
        var list = new List<LeaseRun>();
        while (r.Read())
            list.Add(new LeaseRun(r.GetString(0), r.GetString(1), Str(r, 2), Str(r, 3), r.GetString(4), r.GetInt64(5),
                Long(r, 6), Long(r, 7), r.GetInt64(8), r.GetInt64(9), r.GetInt64(10), r.GetInt64(11), r.GetInt64(12),
                Long(r, 13), Long(r, 14), r.GetInt64(15) != 0, Str(r, 16), r.IsDBNull(17) ? null : r.GetInt32(17), Str(r, 18)));
        return list;
    }

    private static string? Str(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    private static long? Long(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    /// <summary>
    /// Updates a lease row (only the columns given) and enqueues reports, in one transaction.
    /// </summary>
    public void UpdateLeaseRun(string leaseId, IReadOnlyDictionary<string, object?> columns, params OutboxItem[] reports)
    {
        using var c = Open();
        using var tx = c.BeginTransaction();
        if (columns.Count > 0)
        {
            using var cmd = c.CreateCommand();
            var sets = new List<string> { "updated_at = $now" };
            int i = 0;
            foreach (var (name, value) in columns)
            {
                if (!AllowedColumns.Contains(name)) throw new ArgumentException($"not a lease column: {name}");
                sets.Add($"{name} = $p{i}");
                cmd.Parameters.AddWithValue($"$p{i++}", value ?? DBNull.Value);
            }
            cmd.CommandText = $"UPDATE leases SET {string.Join(", ", sets)} WHERE lease_id = $lease;";
            cmd.Parameters.AddWithValue("$lease", leaseId);
            cmd.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToString("O"));
            cmd.ExecuteNonQuery();
        }
        foreach (var item in reports) Enqueue(c, item);
        tx.Commit();
        if (reports.Length > 0) ReportsQueued?.Invoke();
    }

    /// <summary>Raised after a commit that queued reports, so the sender delivers them now rather than at its next poll.</summary>
    public event Action? ReportsQueued;

    private static readonly HashSet<string> AllowedColumns =
    [
        "status", "assignment_json", "container_id", "run_start_ms", "run_end_ms", "stdout_offset", "stderr_offset", "log_seq", "log_bytes",
        "usage_seq", "usage_to_sec", "milli_ncu", "cancel_requested", "final_status", "exit_code", "detail",
    ];

    private static void Enqueue(SqliteConnection c, OutboxItem item)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "INSERT INTO outbox (lease_id, kind, body, created_at) VALUES ($lease, $kind, $body, $now);";
        cmd.Parameters.AddWithValue("$lease", item.LeaseId);
        cmd.Parameters.AddWithValue("$kind", item.Kind);
        cmd.Parameters.AddWithValue("$body", item.Body);
        cmd.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToString("O"));
        cmd.ExecuteNonQuery();
    }

    /// <summary>Unsent reports in the order they were written.</summary>
    public IReadOnlyList<OutboxItem> PendingReports(int limit = 100)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id, lease_id, kind, body FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $limit;";
        cmd.Parameters.AddWithValue("$limit", limit);
        using var r = cmd.ExecuteReader();
        var list = new List<OutboxItem>();
        while (r.Read()) list.Add(new OutboxItem(r.GetInt64(0), r.GetString(1), r.GetString(2), (byte[])r.GetValue(3)));
        return list;
    }

    public int PendingReportCount(string? leaseId = null)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL" + (leaseId is null ? ";" : " AND lease_id = $lease;");
        if (leaseId is not null) cmd.Parameters.AddWithValue("$lease", leaseId);
        return Convert.ToInt32(cmd.ExecuteScalar());
    }

    /// <summary>Marks a report delivered, or given up on (outcome says why).</summary>
    public void MarkReportSent(long id, string outcome)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "UPDATE outbox SET sent_at = $now, outcome = $outcome WHERE id = $id;";
        cmd.Parameters.AddWithValue("$id", id);
        cmd.Parameters.AddWithValue("$outcome", outcome);
        cmd.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToString("O"));
        cmd.ExecuteNonQuery();
    }

    /// <summary>All reports of a lease with their outcome (null while unsent), for status and tests.</summary>
    public IReadOnlyList<(string Kind, string? Outcome)> ReportsOf(string leaseId)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT kind, outcome FROM outbox WHERE lease_id = $lease ORDER BY id;";
        cmd.Parameters.AddWithValue("$lease", leaseId);
        using var r = cmd.ExecuteReader();
        var list = new List<(string, string?)>();
        while (r.Read()) list.Add((r.GetString(0), Str(r, 1)));
        return list;
    }
}
