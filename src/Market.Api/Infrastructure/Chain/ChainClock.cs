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
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _blockTime;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    /// <param name="fresh">Read the latest block now instead of carrying a read up to a second old
    /// forward: a block mined since (a lease opening, a time jump on a test chain) may be ahead.</param>
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
                    if (block is not null) { _blockTime = (long)block.Timestamp; _readAt = wall; }
                }
            }
            // A fresh read is a refinement: when the node is unreachable, the carried time stands.
            catch (Exception e) when (fresh && _readAt != DateTimeOffset.MinValue && e is not OperationCanceledException) { }
            finally { _gate.Release(); }
        }
        var carried = _blockTime + (long)(wall - _readAt).TotalSeconds;
        return Math.Max(wall.ToUnixTimeSeconds(), carried);
    }
}
