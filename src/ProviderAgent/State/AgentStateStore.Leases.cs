using System.Globalization;

namespace ProviderAgent.State;

public sealed partial class AgentStateStore
{
    /// <summary>Inserts or updates a lease; the daemon calls it as a lease moves through its life.</summary>
    public void UpsertLease(LeaseRecord lease)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            INSERT INTO leases (lease_id, status, container_id, job_spec_hash, updated_at)
            VALUES ($lease, $status, $container, $hash, $now)
            ON CONFLICT(lease_id) DO UPDATE SET status = excluded.status,
                container_id = COALESCE(excluded.container_id, leases.container_id),
                job_spec_hash = COALESCE(excluded.job_spec_hash, leases.job_spec_hash),
                updated_at = excluded.updated_at;
            """;
        cmd.Parameters.AddWithValue("$lease", lease.LeaseId);
        cmd.Parameters.AddWithValue("$status", lease.Status);
        cmd.Parameters.AddWithValue("$container", (object?)lease.ContainerId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$hash", (object?)lease.JobSpecHash ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$now", lease.UpdatedAt.ToString("O"));
        cmd.ExecuteNonQuery();
    }

    public IReadOnlyList<LeaseRecord> ListLeases(string? status = null)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT lease_id, status, container_id, job_spec_hash, updated_at FROM leases"
            + (status is null ? "" : " WHERE status = $status") + " ORDER BY updated_at;";
        if (status is not null) cmd.Parameters.AddWithValue("$status", status);
        using var r = cmd.ExecuteReader();
        var list = new List<LeaseRecord>();
        while (r.Read())
            list.Add(new LeaseRecord(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2),
                r.IsDBNull(3) ? null : r.GetString(3),
                DateTimeOffset.Parse(r.GetString(4), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)));
        return list;
    }
}
