using System.Diagnostics;
using System.Numerics;
using Market.Billing.Sla;
using Market.Chain;
using Market.Chain.Accounts;
using Market.Chain.Contracts;
using Market.Chain.Contracts.LeaseEscrow;
using Market.Chain.Rpc;

namespace Market.Billing.Settlement;

/// <summary>
/// Settles ended leases on LeaseEscrow with the SETTLER key: collects due leases from an
/// <see cref="ILeaseSource"/>, judges them with <see cref="SlaEvaluator"/>, proposes sorted batches on a
/// size-or-time trigger, finalizes them after the challenge window, and follows disputes and reclaims
/// to the end. Every step is written to the <see cref="ISettlementStore"/> before the transaction that
/// depends on it is sent, and <see cref="RecoverAsync"/> reconciles unfinished steps with the chain —
/// so across restarts no lease is settled twice (the contract refuses a lease that is not Open anyway)
/// and none is forgotten. One engine per SETTLER key; calls are not concurrent.
/// </summary>
public sealed partial class SettlementEngine
{
    private readonly MarketContracts _chain;
    private readonly EthClient _client;
    private readonly ISettlementStore _store;
    private readonly ILeaseSource _source;
    private readonly SettlementOptions _options;
    private readonly Action<string> _log;
    private readonly Dictionary<ulong, (LeaseFacts Facts, SlaDecision Decision)> _due = [];
    private readonly Stopwatch _oldestDue = new();

    public SettlementEngine(Deployment deployment, TransactionSender settler, ISettlementStore store, ILeaseSource source,
        SettlementOptions? options = null, Action<string>? log = null)
    {
        _client = settler.Client;
        _chain = new MarketContracts(deployment, settler.Client, settler);
        _store = store;
        _source = source;
        _options = options ?? new SettlementOptions();
        if (_options.MaxBatchSize is < 1 or > 256) throw new ArgumentOutOfRangeException(nameof(options), "MaxBatchSize must be 1 to 256");
        _log = log ?? (_ => { });
    }

    public SettlementStats Stats { get; } = new();

    /// <summary>Test hook: called at named points between persisting and sending ("intent-saved", "proposed", "finalize-sent").</summary>
    internal Func<string, Task>? FaultPoint { get; set; }

    private LeaseEscrowService Escrow => _chain.Escrow;

    /// <summary>Reconciles every unfinished batch with the chain; call once at start.</summary>
    public async Task RecoverAsync(CancellationToken ct)
    {
        foreach (var batch in await _store.UnfinishedBatchesAsync(ct))
            if (batch.State == BatchState.Intent) await ReconcileIntentAsync(batch, ct);
    }

    /// <summary>One round: collect due leases, propose on the trigger, finalize ended windows, follow held leases.</summary>
    public async Task TickAsync(CancellationToken ct, bool flush = false)
    {
        var now = await ChainNowAsync(ct);
        await CollectAsync(now, ct);
        if (_due.Count > 0 && (flush || _due.Count >= _options.MaxBatchSize || _oldestDue.Elapsed >= _options.MaxWait))
            await ProposeDueAsync(now, ct);
        await FinalizeDueAsync(now, ct);
        await FollowHeldAsync(ct);
    }

    /// <summary>Recovers, then ticks every poll interval until stopped. Errors are logged and retried next round.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        await RecoverAsync(ct);
        while (!ct.IsCancellationRequested)
        {
            try { await TickAsync(ct); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { break; }
            catch (Exception e) when (e is ChainException or IOException or HttpRequestException or InvalidOperationException)
            {
                _log($"billing round failed, retrying: {e.GetType().Name}: {e.Message}");
            }
            try { await Task.Delay(_options.PollInterval, ct); }
            catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>Leases judged due and waiting for the batch trigger.</summary>
    public int DueCount => _due.Count;

    /// <summary>
    /// The time the next block will carry (the pending block's timestamp; else the latest block's): usage
    /// bounds and windows are judged at that time on chain.
    /// </summary>
    private async Task<ulong> ChainNowAsync(CancellationToken ct)
    {
        try
        {
            // Read raw: a pending block has no number or hash, which the typed Block refuses.
            var pending = await _client.Rpc.SendAsync("eth_getBlockByNumber", new System.Text.Json.Nodes.JsonArray("pending", false), ct);
            if (pending.ValueKind == System.Text.Json.JsonValueKind.Object && pending.TryGetProperty("timestamp", out var ts))
                return Hex.DecodeQuantityUInt64(ts.GetString());
        }
        catch (RpcException) { }
        var block = await _client.GetBlockByNumberAsync(BlockParameter.Latest, ct);
        return block?.Timestamp ?? (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    }

    private async Task CollectAsync(ulong now, CancellationToken ct)
    {
        var offset = _options.AgentTimesOnWallClock ? (long)now - DateTimeOffset.UtcNow.ToUnixTimeSeconds() : 0;
        foreach (var raw in await _source.UnsettledAsync(_options.ScanLimit, ct))
        {
            var f = offset == 0 ? raw : OnChainTime(raw, offset);
            if (_due.ContainsKey(f.LeaseId) || !SlaEvaluator.IsDue(f, _options.Sla, now)) continue;
            var decision = SlaEvaluator.Evaluate(f, _options.Sla, now);
            // Reports may end a few seconds ahead of chain time (agents' clocks): wait until the chain's
            // bound covers them rather than settle below what was metered.
            if (decision.ReportedUsage > decision.UsageBound && now < f.EndSec) continue;
            if (_due.Count == 0) _oldestDue.Restart();
            _due[f.LeaseId] = (f, decision);
        }
    }

    private static LeaseFacts OnChainTime(LeaseFacts f, long offset)
    {
        static ulong Shift(ulong t, long by) => (ulong)Math.Max(0, (long)t + by);
        return f with
        {
            RunningAtSec = f.RunningAtSec is { } r ? Shift(r, offset) : null,
            EndedAtSec = f.EndedAtSec is { } e ? Shift(e, offset) : null,
            SeenAtSec = f.SeenAtSec.Select(t => Shift(t, offset)).ToList(),
        };
    }

    private long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private Task Fault(string point) => FaultPoint?.Invoke(point) ?? Task.CompletedTask;
}
