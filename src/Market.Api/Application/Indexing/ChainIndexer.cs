using Dapper;
using Market.Api.Application.Engine;
using Market.Api.Infrastructure.Chain;
using Market.Api.Infrastructure.Data;
using Market.Chain;
using Market.Chain.Rpc;
using Microsoft.Extensions.Options;

namespace Market.Api.Application.Indexing;

/// <summary>
/// Tails the events of our three contracts from the deployment block (or from where it stopped),
/// a block range at a time: each range's raw events, read-model updates (providers, offers,
/// escrow balances, leases), engine commands (via the outbox) and the new cursor are written in
/// one transaction, so a crash anywhere repeats a range whole or not at all. RPC failures back off
/// and retry; the market keeps serving from the read models meanwhile.
/// </summary>
public sealed class ChainIndexer(
    ChainContext chain, Database db, EngineHost engine, EventProjector projector, IOptions<ChainOptions> options,
    ILogger<ChainIndexer> log) : BackgroundService
{
    public const string CursorName = "contracts";
    private const ulong MaxRange = 2_000;

    private long _head = -1;

    /// <summary>The last block whose events are fully applied (−1 before the first range).</summary>
    public long IndexedBlock { get; private set; } = -1;

    /// <summary>Set when the last RPC attempt failed; cleared by the next success.</summary>
    public string? LastError { get; private set; }

    /// <summary>Completes when the indexer has caught up with the chain head once.</summary>
    public Task CaughtUp => _caughtUp.Task;
    private readonly TaskCompletionSource _caughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var ch = chain.TryGet();
        if (ch is null) { log.LogInformation("no chain configured; the indexer is idle"); return; }
        await engine.Ready.WaitAsync(stop);
        var addresses = new[] { ch.Read.Registry.ContractAddress, ch.Read.OfferBook.ContractAddress, ch.Read.Escrow.ContractAddress };
        IndexedBlock = await LoadCursorAsync(ch.Deployment.StartBlock, stop);
        var backoff = TimeSpan.FromMilliseconds(200);
        var poll = TimeSpan.FromMilliseconds(options.Value.PollMilliseconds);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var head = (long)await ch.Client.BlockNumberAsync(stop) - options.Value.Confirmations;
                _head = head;
                if (head <= IndexedBlock)
                {
                    _caughtUp.TrySetResult();
                    LastError = null;
                    await Task.Delay(poll, stop);
                    continue;
                }
                var from = (ulong)(IndexedBlock + 1);
                var to = Math.Min((ulong)head, from + MaxRange - 1);
                var logs = await ch.Client.GetLogsAsync(new LogFilter { FromBlock = from, ToBlock = to, Addresses = addresses }, stop);
                var hadCommands = await projector.ApplyRangeAsync(ch, logs, to, stop);
                IndexedBlock = (long)to;
                LastError = null;
                backoff = TimeSpan.FromMilliseconds(200);
                if (hadCommands) engine.SignalOutbox();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { break; }
            catch (Exception e) when (e is ChainException or HttpRequestException or TimeoutException or System.Data.Common.DbException)
            {
                LastError = e.Message;
                log.LogWarning("indexer: {Error}; retrying in {Delay} ms", e.Message, (int)backoff.TotalMilliseconds);
                await Task.Delay(backoff, stop);
                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 10_000));
            }
        }
    }

    /// <summary>Waits until the indexer has applied every block up to the chain's current head.</summary>
    public async Task WaitForHeadAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        var ch = chain.Require();
        var target = (long)await ch.Client.BlockNumberAsync(ct) - options.Value.Confirmations;
        var until = DateTime.UtcNow + timeout;
        while (IndexedBlock < target)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"indexer at block {IndexedBlock}, head {target}");
            await Task.Delay(20, ct);
        }
    }

    private async Task<long> LoadCursorAsync(ulong startBlock, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var block = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT block FROM chain_cursors WHERE name = @n", new { n = CursorName }, cancellationToken: ct));
        // The deployment block itself holds the contracts' constructor events; start one before it.
        return block ?? (long)startBlock - 1;
    }
}
