using System.Globalization;
using System.Text.Json;
using Dapper;
using Market.Api.Infrastructure.Data;
using Market.Matching.Engine;
using Market.Matching.Model;
using Market.Protocol.Jobs;

namespace Market.Api.Application.Engine;

/// <summary>
/// A job is stored before its bid is journaled; a crash between the two leaves a job the engine
/// never saw. After the journal replay every such job is still 'submitted' and unknown to the book,
/// and is submitted again, so no accepted job is silently dropped.
/// </summary>
public sealed class OrphanBids(Database db, ConstraintNames names)
{
    private sealed record Row(long Id, long ComputeType, long Grade, long MilliNcu, string MaxPrice, long DeadlineSec, long MaxDurationSec, string SpecJson);

    public async Task<IReadOnlyList<Command>> FindAsync(Func<long, bool> known, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<Row>(new CommandDefinition("""
            SELECT id, compute_type AS ComputeType, grade, milli_ncu AS MilliNcu, max_price AS MaxPrice, deadline_sec AS DeadlineSec,
                max_duration_sec AS MaxDurationSec, spec_json AS SpecJson
            FROM jobs WHERE status = 'submitted' ORDER BY id
            """, cancellationToken: ct));
        var list = new List<Command>();
        foreach (var r in rows)
        {
            if (known(r.Id)) continue;
            var spec = JsonSerializer.Deserialize<JobSpec>(r.SpecJson, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
            list.Add(Command.Bid(0, 0, r.Id, (ComputeType)r.ComputeType, (byte)r.Grade, (ulong)r.MilliNcu,
                long.Parse(r.MaxPrice, CultureInfo.InvariantCulture), r.DeadlineSec, (uint)r.MaxDurationSec, await names.CompileAsync(spec.Constraints, ct)));
        }
        return list;
    }
}
