using System.Data.Common;
using Dapper;

namespace Market.Api.Application;

/// <summary>Appends to a job's status timeline (job_events), numbering entries 1, 2, 3… per job.</summary>
public static class JobTimeline
{
    public static Task AppendAsync(DbConnection c, DbTransaction tx, long jobId, string status, string? detail, long at, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO job_events (job_id, seq, at, status, detail)
            VALUES (@jobId, (SELECT COALESCE(MAX(seq), 0) + 1 FROM job_events WHERE job_id = @jobId), @at, @status, @detail)
            """, new { jobId, at, status, detail }, tx, cancellationToken: ct));
}
