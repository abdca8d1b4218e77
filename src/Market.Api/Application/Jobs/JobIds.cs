using Dapper;
using Market.Api.Infrastructure.Data;

namespace Market.Api.Application.Jobs;

/// <summary>
/// Job ids (which are also the engine's bid ids): increasing integers handed out in process,
/// starting after the largest id stored. One market process writes a database at a time.
/// </summary>
public sealed class JobIds(Database db)
{
    private long _last = -1;

    public async Task InitializeAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var max = await c.ExecuteScalarAsync<long?>("SELECT MAX(id) FROM jobs") ?? 0;
        Interlocked.Exchange(ref _last, max);
    }

    public long Next()
    {
        if (Volatile.Read(ref _last) < 0) throw new InvalidOperationException("JobIds used before InitializeAsync");
        return Interlocked.Increment(ref _last);
    }
}
