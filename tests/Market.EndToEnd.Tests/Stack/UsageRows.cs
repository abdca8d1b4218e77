using Microsoft.Data.Sqlite;

namespace Market.EndToEnd.Tests.Stack;

/// <summary>The signed usage reports the market accepted for a lease, read from its SQLite file (read-only).</summary>
public static class UsageRows
{
    public static async Task<List<(long Seq, long From, long To, long Usage)>> ReadAsync(string databasePath, long leaseId)
    {
        await using var c = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        await c.OpenAsync();
        var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT seq, from_sec, to_sec, milli_ncu_seconds FROM usage_reports WHERE lease_id = $id ORDER BY seq";
        cmd.Parameters.AddWithValue("$id", leaseId);
        var rows = new List<(long, long, long, long)>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) rows.Add((r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3)));
        return rows;
    }
}
