using Dapper;
using Market.Api.Application.Engine;
using Market.Api.Infrastructure.Data;
using Market.Matching.Engine;
using MediatR;

namespace Market.Api.Application.Jobs;

/// <summary>
/// The owner cancels a job. Before a lease exists the bid simply leaves the book. Once leased,
/// the job is marked for cancellation: its agent stops the container and billing settles the
/// usage so far (the escrow refunds the rest).
/// </summary>
public sealed record CancelJob(long JobId, string Caller) : IRequest<string>;

public sealed class CancelJobHandler(Database db, EngineHost engine, JobQueries jobs, TimeProvider clock) : IRequestHandler<CancelJob, string>
{
    public async Task<string> Handle(CancelJob c, CancellationToken ct)
    {
        var job = await jobs.GetAsync(c.JobId, c.Caller, ct); // 404 for others' jobs
        switch (job.Status)
        {
            case "submitted" or "open":
                await engine.SubmitAsync(Command.CancelBid(0, 0, c.JobId), ct);
                return await jobs.StatusAsync(c.JobId, ct);
            case "leased" or "running":
                var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
                await using (var conn = await db.OpenAsync(ct))
                {
                    await using var tx = await conn.BeginTransactionAsync(ct);
                    var changed = await conn.ExecuteAsync(new CommandDefinition(
                        "UPDATE jobs SET status = 'cancelling', updated_at = @now WHERE id = @id AND status IN ('leased', 'running')",
                        new { now, id = c.JobId }, tx, cancellationToken: ct));
                    if (changed == 1) await JobTimeline.AppendAsync(conn, tx, c.JobId, "cancelling", "cancel requested by the consumer", now, ct);
                    await tx.CommitAsync(ct);
                }
                return "cancelling";
            case "cancelled" or "cancelling":
                return job.Status;
            default:
                throw MarketException.Conflict("not-cancellable", $"a job in status '{job.Status}' cannot be cancelled");
        }
    }
}
