using System.Text.Json;
using Market.Protocol.Agents;
using ProviderAgent.MarketApi;
using ProviderAgent.Metering;
using ProviderAgent.Runtime;
using ProviderAgent.State;

namespace ProviderAgent.Leases;

/// <summary>
/// One lease from receipt to its last report: verify on chain, check the image and capacity, run
/// the container, stream logs, meter usage, upload the result and the final status. Every step is
/// recorded in the State database together with the reports it owes (the outbox), so a worker
/// started on the same row after a restart resumes instead of starting over.
/// </summary>
public sealed partial class LeaseWorker(LeaseServiceOptions o, LeaseRun initial, CancellationToken cancelRequested)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private LeaseRun _run = initial;
    private LeaseAssignment? _lease;
    private string Id => _run.LeaseId;
    private long LeaseId => long.Parse(_run.LeaseId);

    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            _lease = JsonSerializer.Deserialize<LeaseAssignment>(_run.AssignmentJson, Json);
            if (_run.Phase == LeasePhase.Received) await StartAsync(stop);
            if (_run.Phase is LeasePhase.Running or LeasePhase.Ended) await SuperviseAsync(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { } // daemon stopping: the row resumes next time
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            Refuse($"malformed lease payload: {e.Message}");
        }
    }

    private void Reload() => _run = o.State.GetLeaseRun(Id) ?? _run;

    private void Update(Dictionary<string, object?> columns, params OutboxItem[] reports)
    {
        o.State.UpdateLeaseRun(Id, columns, reports);
        Reload();
    }

    private OutboxItem Status(LeaseStatus status, int? exitCode = null, string? detail = null) =>
        OutboxItem.New(Id, "status", AgentApiClient.Serialize(new LeaseStatusReport(LeaseId, status, exitCode, detail)));

    private void Refuse(string reason)
    {
        o.Log($"lease {Id}: refused: {reason}");
        o.Ledger.Release(Id);
        var reports = LeaseId > 0 ? new[] { Status(LeaseStatus.Refused, null, reason) } : [];
        Update(new() { ["status"] = LeasePhase.Refused, ["final_status"] = nameof(LeaseStatus.Refused), ["detail"] = reason }, reports);
    }

    private async Task StartAsync(CancellationToken stop)
    {
        var a = _lease;
        if (a is null || a.LeaseId <= 0 || a.LeaseId.ToString() != Id) { Refuse("malformed lease payload"); return; }
        var verdict = await VerifyWithRetryAsync(a, stop);
        if (!verdict.Ok) { Refuse(verdict.Reason!); return; }
        var chain = verdict.Lease!;
        var job = LeaseJob.Parse(a.SpecJson, out var parseError);
        if (job is null) { Refuse(parseError!); return; }
        // The chain's terms win over the market's copy: mNCU, start and duration come from getLease.
        var clock = new LeaseClock((long)chain.StartTime, chain.MaxDurationSec, _run.AnchorMs);
        long now = NowMs();
        var timeout = TimeSpan.FromMilliseconds(Math.Min((long)job.MaxDurationSec * 1000, clock.RemainingMs(now)));
        if (timeout <= TimeSpan.Zero) { Refuse("the lease has already ended on chain"); return; }
        var spec = LeaseJob.ToContainer(job, o.Images, chain.MilliNcu, o.Ledger.TotalMilliNcu, timeout, o.AllowNetwork,
            o.Daemon.OutputCapBytes, Id, out var specError);
        if (spec is null) { Refuse(specError!); return; }
        if (!o.Ledger.TryReserve(Id, chain.MilliNcu, (ulong)spec.EffectiveLimits.MemoryBytes))
        {
            Refuse($"not enough free capacity: {chain.MilliNcu} mNCU and {job.Resources.MemoryMb} MiB asked, {o.Ledger.FreeMilliNcu} mNCU and {o.Ledger.FreeMemoryBytes >> 20} MiB free");
            return;
        }
        if (cancelRequested.IsCancellationRequested || _run.CancelRequested)
        {
            o.Ledger.Release(Id);
            Update(new() { ["status"] = LeasePhase.Done, ["final_status"] = nameof(LeaseStatus.Cancelled) }, Status(LeaseStatus.Cancelled, null, "cancelled before start"));
            return;
        }
        // Store the chain's start/duration in the assignment row for the meter, and say Accepted
        // before the container exists: the market stops re-delivering the lease.
        var fixedLease = a with { MilliNcu = (long)chain.MilliNcu, StartSec = (long)chain.StartTime, MaxDurationSec = (int)chain.MaxDurationSec };
        _lease = fixedLease;
        Update(new() { ["milli_ncu"] = (long)chain.MilliNcu, ["assignment_json"] = JsonSerializer.Serialize(fixedLease, Json) },
            Status(LeaseStatus.Accepted));
        // A crash between starting the container and recording it leaves a container labelled with
        // this lease: adopt it rather than run the job twice.
        var adopted = (await o.Runtime.ListAsync(stop)).FirstOrDefault(c => c.LeaseId == Id);
        if (adopted is not null)
        {
            o.Log($"lease {Id}: adopting container {adopted.Id} started before a restart");
            Update(new() { ["status"] = LeasePhase.Running, ["container_id"] = adopted.Id, ["run_start_ms"] = adopted.CreatedAt.ToUnixTimeMilliseconds() },
                Status(LeaseStatus.Running));
            return;
        }
        string containerId;
        try { containerId = await o.Runtime.StartAsync(spec, stop); }
        catch (ContainerRuntimeException e)
        {
            o.Ledger.Release(Id);
            o.Log($"lease {Id}: container failed to start: {e.Message}");
            Update(new() { ["status"] = LeasePhase.Done, ["final_status"] = nameof(LeaseStatus.Failed), ["detail"] = e.Message },
                Status(LeaseStatus.Failed, null, $"container failed to start: {e.Message}"));
            return;
        }
        long started = NowMs();
        Update(new() { ["status"] = LeasePhase.Running, ["container_id"] = containerId, ["run_start_ms"] = started, ["usage_to_sec"] = null },
            Status(LeaseStatus.Running));
        o.Log($"lease {Id}: running in {containerId} ({chain.MilliNcu} mNCU, timeout {timeout.TotalSeconds:F0} s)");
    }

    /// <summary>
    /// Verifies, retrying what may be transient: an unreachable node (with backoff, until stopped) and,
    /// a few times, a lease the node does not know yet (a node that lags the market's).
    /// </summary>
    private async Task<LeaseVerdict> VerifyWithRetryAsync(LeaseAssignment a, CancellationToken stop)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                var verdict = await o.Verifier.VerifyAsync(a, stop);
                if (verdict.Ok || attempt >= 4 || verdict.Reason?.Contains("does not exist") != true) return verdict;
            }
            catch (Exception e) when (e is Market.Chain.ChainException or HttpRequestException && !stop.IsCancellationRequested)
            {
                o.Log($"lease {Id}: chain check failed (attempt {attempt}), retrying: {e.Message}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(30_000, 500 * attempt)), stop);
        }
    }

    internal static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    internal LeaseClock Clock => new(_lease!.StartSec, _lease.MaxDurationSec, _run.AnchorMs);
}
