using System.Runtime.CompilerServices;

namespace Market.Chain.Rpc;

/// <summary>
/// Follows the logs matching a filter from a start block onwards, page by page: each
/// <see cref="PollAsync"/> returns the logs of blocks not yet seen, up to the head minus
/// <see cref="Confirmations"/>, and advances <see cref="NextBlock"/>. Persist NextBlock to resume
/// after a restart (an indexer stores it with the rows it wrote).
/// </summary>
public sealed class LogTailer
{
    private readonly EthClient _client;
    private readonly LogFilter _filter;

    public LogTailer(EthClient client, LogFilter filter, ulong startBlock, ulong confirmations = 0)
    {
        _client = client;
        _filter = filter;
        NextBlock = startBlock;
        Confirmations = confirmations;
    }

    /// <summary>The first block the next poll reads.</summary>
    public ulong NextBlock { get; private set; }

    /// <summary>Blocks left unread below the head (0 on a local chain; more where reorgs happen).</summary>
    public ulong Confirmations { get; }

    public async Task<IReadOnlyList<Log>> PollAsync(CancellationToken ct = default)
    {
        var head = await _client.BlockNumberAsync(ct);
        if (head < Confirmations || head - Confirmations < NextBlock) return [];
        var to = head - Confirmations;
        var logs = await _client.GetLogsAsync(_filter with { FromBlock = NextBlock, ToBlock = to }, ct);
        NextBlock = to + 1;
        return logs;
    }

    /// <summary>Polls every <paramref name="interval"/> and yields logs as they appear, until cancelled.</summary>
    public async IAsyncEnumerable<Log> FollowAsync(TimeSpan interval, [EnumeratorCancellation] CancellationToken ct = default)
    {
        while (!ct.IsCancellationRequested)
        {
            foreach (var log in await PollAsync(ct)) yield return log;
            try { await Task.Delay(interval, ct); }
            catch (OperationCanceledException) { yield break; }
        }
    }
}
