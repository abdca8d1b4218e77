using Market.Api.Infrastructure.Chain;
using Market.Billing.Settlement;
using Market.Billing.Sla;
using Market.Chain.Accounts;
using Microsoft.Extensions.Options;

namespace Market.Api.Application.Billing;

/// <summary>
/// Hosts <see cref="SettlementEngine"/> with the SETTLER key: recovers unfinished batches at start, then
/// proposes, finalizes and follows disputes and reclaims. An unexpected failure restarts the engine (which
/// reconciles with the chain again) after a pause, so the host never stops because of billing.
/// </summary>
public sealed class SettlementBatcher(ChainContext chain, SqlSettlementStore store, LeaseFactsSource source, IOptions<BillingOptions> options,
    TimeProvider clock, ILogger<SettlementBatcher> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var o = options.Value;
        var ch = chain.TryGet();
        if (!o.Enabled || ch?.SettlerKey is null) { log.LogInformation("no chain or SETTLER key configured (or billing disabled); leases are not settled"); return; }
        var settings = new SettlementOptions
        {
            MaxBatchSize = Math.Clamp(o.MaxBatchSize, 1, 256), MaxWait = TimeSpan.FromSeconds(o.MaxWaitSeconds), PollInterval = TimeSpan.FromSeconds(o.PollSeconds),
            AgentTimesOnWallClock = true,
            Sla = new SlaPolicy { StartLatencySec = o.StartLatencySec, HeartbeatTimeoutSec = o.HeartbeatTimeoutSec, EndGraceSec = o.EndGraceSec },
        };
        // The market saw no agent while it was down; its own downtime is not the agents' silence.
        await source.SightRunningLeasesAsync(clock.GetUtcNow().ToUnixTimeSeconds(), stop);
        while (!stop.IsCancellationRequested)
        {
            var engine = new SettlementEngine(ch.Deployment, new TransactionSender(ch.Client, ch.SettlerKey, ch.Deployment.ChainId), store, source, settings,
                m => log.LogInformation("{Message}", m));
            try { await engine.RunAsync(stop); }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                log.LogError(e, "billing stopped unexpectedly; restarting in 5 s");
                try { await Task.Delay(TimeSpan.FromSeconds(5), stop); } catch (OperationCanceledException) { return; }
            }
        }
    }
}
