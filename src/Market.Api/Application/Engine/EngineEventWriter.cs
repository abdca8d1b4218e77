using System.Data.Common;
using System.Threading.Channels;
using Dapper;
using Market.Api.Infrastructure.Data;
using Market.Matching.Engine;

namespace Market.Api.Application.Engine;

/// <summary>
/// Turns engine events into job state in the database, one transaction per batch. Every update is
/// conditional on the job's current status, so writing the same events twice (a replay after a
/// crash) changes nothing. Matched jobs are then handed to the lease opener.
/// </summary>
public sealed class EngineEventWriter(Database db, TimeProvider clock, MatchedJobs matched, ILogger<EngineEventWriter> log)
{
    /// <summary>Writes events in a transaction of their own (the replay path).</summary>
    public async Task WriteAsync(IReadOnlyList<MatchingEvent> events, bool replay, CancellationToken ct)
    {
        if (events.Count == 0) return;
        var newlyMatched = new List<long>();
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await WriteAsync(c, tx, events, replay, newlyMatched, ct);
        await tx.CommitAsync(ct);
        PostMatched(newlyMatched);
    }

    /// <summary>Hands matched jobs to the lease opener — only after the commit: it must never see a match the database does not have.</summary>
    public void PostMatched(List<long> jobIds)
    {
        foreach (var id in jobIds) matched.Post(id);
    }

    /// <summary>Writes events in the caller's transaction; matched job ids are added to <paramref name="newlyMatched"/>.</summary>
    public async Task WriteAsync(DbConnection c, DbTransaction tx, IReadOnlyList<MatchingEvent> events, bool replay, List<long> newlyMatched, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var e in events)
        {
            if (e.Kind == EventKind.AuctionCleared)
            {
                await c.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO market_stats (compute_type, grade, last_clearing_price, updated_at) VALUES (@t, @g, @p, @now)
                    ON CONFLICT (compute_type, grade) DO UPDATE SET last_clearing_price = excluded.last_clearing_price, updated_at = excluded.updated_at
                    """, new { t = (long)e.Type, g = (long)e.Grade, p = e.Price.ToString(), now }, tx, cancellationToken: ct));
                continue;
            }
            if (e.Side == Side.Offer && e.Kind == EventKind.Rejected && !replay)
                log.LogWarning("the engine rejected offer {Offer}: {Reason}", e.OfferId, e.Reason);
            if (e.Side != Side.Bid && e.Kind != EventKind.Matched) continue;
            var (status, from, detail) = e.Kind switch
            {
                EventKind.Rested => ("open", "'submitted'", (string?)null),
                EventKind.Matched => ("matched", "'submitted','open'", $"offer {e.OfferId} at {e.Price}"),
                EventKind.Expired => ("expired", "'submitted','open'", "the bid's deadline passed unmatched"),
                EventKind.Cancelled => ("cancelled", "'submitted','open'", "cancelled by the consumer"),
                EventKind.Rejected => ("rejected", "'submitted','open'", "rejected by the matching engine: " + e.Reason),
                _ => (null, null, null),
            };
            if (status is null) continue;
            var changed = await c.ExecuteAsync(new CommandDefinition($"""
                UPDATE jobs SET status = @status, updated_at = @now,
                    offer_id = CASE WHEN @matched THEN @offer ELSE offer_id END,
                    price = CASE WHEN @matched THEN @price ELSE price END
                WHERE id = @id AND status IN ({from})
                """, new { status, now, matched = e.Kind == EventKind.Matched, offer = e.OfferId, price = e.Price.ToString(), id = e.BidId }, tx, cancellationToken: ct));
            if (changed == 0) continue;
            await JobTimeline.AppendAsync(c, tx, e.BidId, status, detail, now, ct);
            if (e.Kind == EventKind.Matched)
            {
                await c.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO trades (seq, bid_id, offer_id, price, milli_ncu, compute_type, grade, at)
                    VALUES (@seq, @bid, @offer, @price, @m, @t, @g, @now) ON CONFLICT (seq, bid_id) DO NOTHING
                    """, new { seq = e.Seq, bid = e.BidId, offer = e.OfferId, price = e.Price.ToString(), m = (long)e.MilliNcu, t = (long)e.Type, g = (long)e.Grade, now },
                    tx, cancellationToken: ct));
                newlyMatched.Add(e.BidId);
            }
        }
    }
}

/// <summary>Job ids whose bids matched and now need an on-chain lease; read by the lease opener.</summary>
public sealed class MatchedJobs
{
    private readonly Channel<long> _channel = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });
    public void Post(long jobId) => _channel.Writer.TryWrite(jobId);
    public ChannelReader<long> Reader => _channel.Reader;
}
