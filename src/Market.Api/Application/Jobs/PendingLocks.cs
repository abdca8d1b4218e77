using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using Dapper;

namespace Market.Api.Application.Jobs;

/// <summary>
/// What each consumer's pending jobs (not yet leased, so not yet locked on chain) may still lock:
/// the sum of their <c>max_lock</c>. Summing it from the jobs table on every bid cost O(pending)
/// rows and pages per submission (a quarter of the server's time with a deep book), so the sum
/// is kept per consumer and re-read from the table only when it would refuse a bid.
/// <para>
/// It can only be too high, never too low: a job enters the pending states only by submission
/// (added here before the engine commits it) and leaves them elsewhere (seen at the next re-read).
/// A bid refused on a cached sum is checked again against a fresh one, so a stale sum never
/// refuses a bid that fits; a consumer with room to spare never pays for a re-read. Callers hold
/// the consumer's submission gate, so a re-read and an add never interleave.
/// </para>
/// </summary>
public sealed class PendingLocks
{
    /// <summary>The states in which a job's bid may still become a lease that locks its <c>max_lock</c>.</summary>
    public const string PendingStatuses = "'submitted','open','matched','opening'";

    private sealed class Entry
    {
        public UInt128 Total;
        public bool Read;
    }

    private readonly ConcurrentDictionary<string, Entry> _entries = new();

    /// <summary>
    /// The consumer's pending total, and whether it was read from the table just now (a refusal
    /// on it is final); <paramref name="refresh"/> forces the re-read.
    /// </summary>
    public async Task<(UInt128 Total, bool Fresh)> TotalAsync(DbConnection conn, string consumer, bool refresh, CancellationToken ct)
    {
        var e = _entries.GetOrAdd(consumer, _ => new Entry());
        var fresh = refresh || !e.Read;
        if (fresh)
        {
            var total = UInt128.Zero;
            foreach (var v in await conn.QueryAsync<string>(new CommandDefinition(
                $"SELECT max_lock FROM jobs WHERE consumer = @consumer AND status IN ({PendingStatuses})", new { consumer }, cancellationToken: ct)))
                total += UInt128.Parse(v, CultureInfo.InvariantCulture);
            e.Total = total;
            e.Read = true;
        }
        return (e.Total, fresh);
    }

    /// <summary>A job of the consumer was accepted: its lock counts from now on.</summary>
    public void Add(string consumer, UInt128 maxLock)
    {
        if (_entries.TryGetValue(consumer, out var e)) e.Total += maxLock;
    }
}
