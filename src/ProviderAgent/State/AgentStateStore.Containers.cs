using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ProviderAgent.State;

public sealed partial class AgentStateStore
{
    private const string Columns = "id, backend, image_digest, lease_id, bundle_path, state, shim_pid, created_at, deadline, finished_at, exit_code, oom_killed, timed_out, error";

    public void InsertContainer(ContainerRecord r)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"INSERT INTO containers ({Columns}) VALUES ($id, $backend, $image, $lease, $bundle, $state, $pid, $created, $deadline, NULL, NULL, 0, 0, NULL);";
        cmd.Parameters.AddWithValue("$id", r.Id);
        cmd.Parameters.AddWithValue("$backend", r.Backend);
        cmd.Parameters.AddWithValue("$image", r.ImageDigest);
        cmd.Parameters.AddWithValue("$lease", (object?)r.LeaseId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$bundle", r.BundlePath);
        cmd.Parameters.AddWithValue("$state", r.State.ToString());
        cmd.Parameters.AddWithValue("$pid", (object?)r.ShimPid ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$created", r.CreatedAt.ToString("O"));
        cmd.Parameters.AddWithValue("$deadline", r.Deadline.ToString("O"));
        cmd.ExecuteNonQuery();
    }

    public void MarkRunning(string id, int? shimPid)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "UPDATE containers SET state = 'Running', shim_pid = $pid WHERE id = $id AND state IN ('Starting', 'Running');";
        cmd.Parameters.AddWithValue("$id", id);
        cmd.Parameters.AddWithValue("$pid", (object?)shimPid ?? DBNull.Value);
        cmd.ExecuteNonQuery();
    }

    /// <summary>Records how a container ended. Idempotent: the first outcome recorded wins.</summary>
    public void MarkFinished(string id, ContainerState state, int? exitCode, bool oomKilled, bool timedOut, string? error)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            UPDATE containers SET state = $state, exit_code = $exit, oom_killed = $oom, timed_out = $timeout,
                   error = $error, finished_at = $now
            WHERE id = $id AND state IN ('Starting', 'Running');
            """;
        cmd.Parameters.AddWithValue("$id", id);
        cmd.Parameters.AddWithValue("$state", state.ToString());
        cmd.Parameters.AddWithValue("$exit", (object?)exitCode ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$oom", oomKilled ? 1 : 0);
        cmd.Parameters.AddWithValue("$timeout", timedOut ? 1 : 0);
        cmd.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToString("O"));
        cmd.ExecuteNonQuery();
    }

    public void MarkDeleted(string id)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        // A container deleted before it finished is recorded as failed first, so no row ever
        // jumps from Running to Deleted without an outcome.
        cmd.CommandText = """
            UPDATE containers SET error = COALESCE(error, 'deleted while running'), finished_at = COALESCE(finished_at, $now)
            WHERE id = $id AND state IN ('Starting', 'Running');
            UPDATE containers SET state = 'Deleted' WHERE id = $id;
            """;
        cmd.Parameters.AddWithValue("$id", id);
        cmd.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToString("O"));
        cmd.ExecuteNonQuery();
    }

    public ContainerRecord? GetContainer(string id)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM containers WHERE id = $id;";
        cmd.Parameters.AddWithValue("$id", id);
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadContainer(r) : null;
    }

    /// <summary>Containers of one backend that are not deleted, oldest first.</summary>
    /// <summary>The backend's containers as the runtime interface reports them (both backends list from here).</summary>
    public IReadOnlyList<ProviderAgent.Runtime.ContainerInfo> ListContainerInfos(string backend) =>
        ListContainers(backend).Select(r => new ProviderAgent.Runtime.ContainerInfo(r.Id, r.State switch
        {
            ContainerState.Starting => ProviderAgent.Runtime.ContainerStatus.Starting,
            ContainerState.Running => ProviderAgent.Runtime.ContainerStatus.Running,
            ContainerState.Exited => ProviderAgent.Runtime.ContainerStatus.Exited,
            _ => ProviderAgent.Runtime.ContainerStatus.Failed,
        }, r.ImageDigest, r.LeaseId, r.CreatedAt)).ToList();

    public IReadOnlyList<ContainerRecord> ListContainers(string backend, bool activeOnly = false)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM containers WHERE backend = $backend AND state <> 'Deleted'"
            + (activeOnly ? " AND state IN ('Starting', 'Running')" : "") + " ORDER BY created_at;";
        cmd.Parameters.AddWithValue("$backend", backend);
        using var r = cmd.ExecuteReader();
        var list = new List<ContainerRecord>();
        while (r.Read()) list.Add(ReadContainer(r));
        return list;
    }

    private static ContainerRecord ReadContainer(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4),
        Enum.Parse<ContainerState>(r.GetString(5)), r.IsDBNull(6) ? null : r.GetInt32(6),
        Time(r.GetString(7)), Time(r.GetString(8)), r.IsDBNull(9) ? null : Time(r.GetString(9)),
        r.IsDBNull(10) ? null : r.GetInt32(10), r.GetInt32(11) != 0, r.GetInt32(12) != 0, r.IsDBNull(13) ? null : r.GetString(13));

    private static DateTimeOffset Time(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
