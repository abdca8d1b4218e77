using Market.Chain.Rpc;

namespace Market.Api.Infrastructure.Chain;

/// <summary>
/// "Now" as the contracts will see it: the latest block's timestamp, carried forward by the wall
/// clock since that block was first seen, and never behind the wall clock. Chains drift from wall
/// time (a local node that mines a block per transaction runs ahead by a second per block), and
/// lease bounds are judged on chain time, so checks that mirror the contract use this clock.
/// Carrying from when the block was first seen (not from the last read) is what the provider
/// agent does from the moment it sees a lease, so the two agree on how far a lease has run even
/// while no block is mined.
/// </summary>
public sealed class ChainClock(ChainContext chain, TimeProvider clock)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _blockTime;
    private ulong _blockNumber = ulong.MaxValue;
    private DateTimeOffset _seenAt, _readAt = DateTimeOffset.MinValue;

    /// <param name="fresh">Read the latest block now instead of relying on a read up to a second
    /// old: a block mined since (a lease opening, a time jump on a test chain) may be ahead.</param>
    public async Task<long> NowAsync(CancellationToken ct, bool fresh = false)
    {
        var wall = clock.GetUtcNow();
        var ch = chain.TryGet();
        if (ch is null) return wall.ToUnixTimeSeconds();
        if (fresh || wall - _readAt > TimeSpan.FromSeconds(1))
        {
            await _gate.WaitAsync(ct);
            try
            {
                if (fresh || wall - _readAt > TimeSpan.FromSeconds(1))
                {
                    var block = await ch.Client.GetBlockByNumberAsync(BlockParameter.Latest, ct);
                    if (block is not null) Observe(block.Number, (long)block.Timestamp, wall);
                }
            }
            // A fresh read is a refinement: when the node is unreachable, the carried time stands.
            catch (Exception e) when (fresh && _readAt != DateTimeOffset.MinValue && e is not OperationCanceledException) { }
            finally { _gate.Release(); }
        }
        return Carried(wall);
    }

    internal void Observe(ulong number, long timestamp, DateTimeOffset wall)
    {
        if (number != _blockNumber) { _blockNumber = number; _blockTime = timestamp; _seenAt = wall; }
        _readAt = wall;
    }

    internal long Carried(DateTimeOffset wall)
    {
        if (_readAt == DateTimeOffset.MinValue) return wall.ToUnixTimeSeconds();
        var carried = _blockTime + (long)Math.Max(0, (wall - _seenAt).TotalSeconds);
        return Math.Max(wall.ToUnixTimeSeconds(), carried);
    }
}
