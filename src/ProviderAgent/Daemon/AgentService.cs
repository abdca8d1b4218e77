using System.Reflection;
using Market.Chain.Contracts;
using Market.Chain.Crypto;
using Market.Chain.Rpc;
using Market.Chain.Usage;
using Market.Protocol.Agents;
using ProviderAgent.Config;
using ProviderAgent.Images;
using ProviderAgent.Inventory;
using ProviderAgent.Leases;
using ProviderAgent.MarketApi;
using ProviderAgent.Metering;
using ProviderAgent.Runtime;
using ProviderAgent.State;

namespace ProviderAgent.Daemon;

/// <summary>
/// The root of the `run` daemon (akash provider's service.go): wires Inventory, Leases, Metering,
/// Runtime and State, then runs, in order: container recovery, the capacity ledger rebuilt from the
/// State database, sign-in, and three loops — lease long-poll, heartbeat (with cancel requests) and
/// the report outbox — until stopped. Stopping leaves containers running: the next start re-attaches.
/// </summary>
public sealed class AgentService
{
    public static readonly string Version = typeof(AgentService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";

    private readonly AgentConfig _config;
    private readonly AgentStateStore _state;
    private readonly IContainerRuntime _runtime;
    private readonly AgentApiClient _api;
    private readonly Action<string> _log;

    public AgentService(AgentConfig config, AgentStateStore state, IContainerRuntime runtime, ImageStore images, EthKey key,
        HttpClient market, ILeaseChainReader chain, UsageReportSigner usageSigner, Action<string> log)
    {
        _config = config;
        _state = state;
        _runtime = runtime;
        _log = log;
        _api = new AgentApiClient(market, key);
        Ledger = new CapacityLedger(config.MilliNcu, Math.Max(1, config.MemoryMb) << 20);
        var options = new LeaseServiceOptions(state, runtime, images, Ledger, new LeaseVerifier(chain, key.Address),
            new UsageMeter(usageSigner, key), config.Daemon, config.AllowNetwork, Observed, log);
        Leases = new LeaseService(options, _api);
        Reports = new ReportSender(state, _api, log);
        state.ReportsQueued += Reports.Wake;
    }

    /// <summary>Builds the service from the config as `provider-agent run` does.</summary>
    public static AgentService Create(AgentConfig config, string dataDirectory, AgentStateStore state, IContainerRuntime runtime, EthKey key,
        HttpClient market, Action<string> log)
    {
        var deployment = Deployment.Load(AgentConfig.Resolve(dataDirectory, config.DeploymentFile));
        var contracts = new MarketContracts(deployment, new EthClient(config.RpcUrl));
        return new AgentService(config, state, runtime, new ImageStore(dataDirectory), key, market, new ChainLeaseReader(contracts),
            new UsageReportSigner(deployment.ChainId, contracts.Escrow.ContractAddress), log);
    }

    public CapacityLedger Ledger { get; }
    /// <summary>Peak throughput seen in finished jobs that state their work (feeds q in CapacityModel).</summary>
    public ObservedThroughput Observed { get; } = new();
    public LeaseService Leases { get; }
    public ReportSender Reports { get; }

    /// <summary>Set once recovery, sign-in and the loops have started.</summary>
    public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task RunAsync(CancellationToken stop)
    {
        var recovery = await _runtime.RecoverAsync(stop);
        _log($"recovered containers: {recovery.Reattached.Count} re-attached, {recovery.FinishedWhileAway.Count} finished while away, "
            + $"{recovery.Failed.Count} vanished, {recovery.OrphansRemoved.Count} orphans removed");
        await CleanUpFinishedAsync(stop);
        foreach (var run in _state.ListOpenLeaseRuns())
            if (run.Phase is LeasePhase.Running or LeasePhase.Ended && run.MilliNcu is { } m && m > 0 && !Ledger.TryReserve(run.LeaseId, (ulong)m, MemoryOf(run)))
                _log($"lease {run.LeaseId}: its reservation no longer fits the configured capacity");
        await SignInAsync(stop);
        Leases.Resume(stop);
        var loops = new[] { Leases.PollLoopAsync(stop), HeartbeatLoopAsync(stop), Reports.RunAsync(stop) };
        Ready.TrySetResult();
        _log($"ready: {Ledger.TotalMilliNcu} mNCU, {Leases.ActiveLeaseIds.Count} lease(s) resumed");
        await Task.WhenAll(loops);
        await Leases.DrainAsync();
        // Last chance to deliver what is queued; the rest goes out on the next start.
        using var flush = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try { await Reports.SendPendingAsync(flush.Token); } catch (OperationCanceledException) { }
        _log("stopped");
    }

    private static ulong MemoryOf(LeaseRun run)
    {
        try
        {
            var a = System.Text.Json.JsonSerializer.Deserialize<LeaseAssignment>(run.AssignmentJson, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
            return a is null ? 0 : (ulong)(LeaseJob.Parse(a.SpecJson, out _)?.Resources.MemoryMb ?? 0) << 20;
        }
        catch (System.Text.Json.JsonException) { return 0; }
    }

    private async Task SignInAsync(CancellationToken stop)
    {
        for (int attempt = 1; ; attempt++)
        {
            try { await _api.SignInAsync(stop); _log("signed in to the market"); return; }
            catch (Exception e) when (e is HttpRequestException or MarketApiException or System.Text.Json.JsonException or TaskCanceledException && !stop.IsCancellationRequested)
            {
                _log($"sign-in failed (attempt {attempt}): {e.Message}");
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt * 2)), stop);
            }
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var cancel = await _api.HeartbeatAsync(new Heartbeat(Version, (long)Ledger.FreeMilliNcu, Leases.ActiveLeaseIds), stop);
                foreach (var id in cancel) Leases.Cancel(id);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
            catch (Exception e) when (e is HttpRequestException or MarketApiException or System.Text.Json.JsonException or TaskCanceledException)
            {
                _log($"heartbeat failed: {e.Message}");
            }
            try { await Task.Delay(TimeSpan.FromSeconds(Math.Max(1, _config.Daemon.HeartbeatSec)), stop); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Containers of leases already closed (a crash between the last report and the clean-up) are removed.</summary>
    private async Task CleanUpFinishedAsync(CancellationToken ct)
    {
        var closed = _state.ListLeaseRuns().Where(r => LeasePhase.IsFinal(r.Phase) && r.ContainerId is not null).Select(r => r.ContainerId!).ToHashSet();
        foreach (var c in await _runtime.ListAsync(ct))
            if (closed.Contains(c.Id))
                try { await _runtime.DeleteAsync(c.Id, ct); }
                catch (ContainerRuntimeException e) { _log($"cleanup of {c.Id}: {e.Message}"); }
    }
}
