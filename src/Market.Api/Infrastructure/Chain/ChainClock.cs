using Market.Chain.Rpc;

namespace Market.Api.Infrastructure.Chain;

/// <summary>
/// "Now" as the contracts will see it: the latest block's timestamp, carried forward by the wall
/// clock between reads, and never behind the wall clock. Chains drift from wall time (a local
/// node that mines a block per transaction runs ahead by a second per block), and lease bounds
/// are judged on chain time, so checks that mirror the contract use this clock.
/// </summary>
public sealed class ChainClock(ChainContext chain, TimeProvider clock)
{
    private readonly object _lock = new();
    private Reading? _last; // a reference, so readers never see half an update
    private Task? _refresh;

    public async Task<long> NowAsync(CancellationToken ct)
    {
        var wall = clock.GetUtcNow();
        var ch = chain.TryGet();
        if (ch is null) return wall.ToUnixTimeSeconds();
        var last = _last;
        if (last is null || wall - last.ReadAt > TimeSpan.FromSeconds(1))
        {
            // One read at a time; while it runs, callers that already have a reading carry it
            // forward rather than queueing behind the RPC (the first reading is awaited).
            Task refresh;
            lock (_lock) refresh = _refresh is { IsCompleted: false } r ? r : _refresh = ReadAsync(ch);
            if (last is null) await refresh.WaitAsync(ct);
            last = _last;
        }
        if (last is not { } l) return wall.ToUnixTimeSeconds();
        var carried = l.BlockTime + (long)(wall - l.ReadAt).TotalSeconds;
        return Math.Max(wall.ToUnixTimeSeconds(), carried);
    }

    private sealed record Reading(long BlockTime, DateTimeOffset ReadAt);

    private async Task ReadAsync(ChainContext.Loaded ch)
    {
        var at = clock.GetUtcNow();
        var block = await ch.Client.GetBlockByNumberAsync(BlockParameter.Latest, CancellationToken.None);
        if (block is not null) _last = new Reading((long)block.Timestamp, at);
    }
}
