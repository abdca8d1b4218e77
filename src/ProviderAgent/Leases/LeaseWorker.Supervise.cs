using System.Text;
using Market.Protocol.Agents;
using ProviderAgent.MarketApi;
using ProviderAgent.State;

namespace ProviderAgent.Leases;

public sealed partial class LeaseWorker
{
    /// <summary>
    /// Follows a running container: ships new log output every flush interval, a usage report every
    /// metering interval, kills it when the consumer cancels; when it ends, ships the rest and
    /// closes the lease (result, final usage, final status) in one transaction.
    /// </summary>
    private async Task SuperviseAsync(CancellationToken stop)
    {
        string containerId = _run.ContainerId ?? throw new InvalidOperationException($"lease {Id} is running without a container");
        var wait = WaitOrLost(containerId);
        long lastUsage = NowMs();
        bool killed = false;
        while (!wait.IsCompleted)
        {
            await Task.WhenAny(wait, Task.Delay(o.Daemon.LogFlushMs, stop));
            stop.ThrowIfCancellationRequested();
            if (!killed && (cancelRequested.IsCancellationRequested || _run.CancelRequested))
            {
                killed = true;
                Update(new() { ["cancel_requested"] = 1 });
                o.Log($"lease {Id}: cancelled by the consumer, killing {containerId}");
                await o.Runtime.KillAsync(containerId, CancellationToken.None);
            }
            PumpLogs(final: false);
            long now = NowMs();
            if (!wait.IsCompleted && now - lastUsage >= o.Daemon.UsageIntervalSec * 1000L)
            {
                lastUsage = now;
                if (o.Meter.Next(_run, Clock, (ulong)_lease!.MilliNcu, now, final: false) is { } report)
                    Update(new() { ["usage_seq"] = report.Seq, ["usage_to_sec"] = report.ToSec }, OutboxItem.New(Id, "usage", AgentApiClient.Serialize(report)));
            }
        }
        Runtime.ContainerResult result;
        try { result = await wait; }
        catch (Exception e) when (e is Runtime.ContainerRuntimeException or IOException) { result = Lost(containerId, e.Message); }
        Finish(result);
        try { await o.Runtime.DeleteAsync(containerId, CancellationToken.None); }
        catch (Exception e) when (e is Runtime.ContainerRuntimeException or IOException) { o.Log($"lease {Id}: cleanup of {containerId}: {e.Message}"); }
    }

    /// <summary>The runtime's wait, or an immediate failure when it no longer knows the container: a lease is never left open.</summary>
    private Task<Runtime.ContainerResult> WaitOrLost(string containerId)
    {
        try { return o.Runtime.WaitAsync(containerId, CancellationToken.None); }
        catch (Runtime.ContainerRuntimeException e) { return Task.FromResult(Lost(containerId, e.Message)); }
    }

    private static Runtime.ContainerResult Lost(string id, string why) =>
        new(id, null, false, false, Runtime.CapturedOutput.Empty, Runtime.CapturedOutput.Empty, TimeSpan.Zero, $"container lost: {why}");

    private void Finish(Runtime.ContainerResult result)
    {
        long endMs = EndOf(result);
        if (_run.RunEndMs is null) Update(new() { ["run_end_ms"] = endMs, ["status"] = LeasePhase.Ended });
        PumpLogs(final: true);
        var reports = new List<OutboxItem>();
        var columns = new Dictionary<string, object?>();
        if (o.Meter.Next(_run, Clock, (ulong)_lease!.MilliNcu, NowMs(), final: true) is { } usage)
        {
            reports.Add(OutboxItem.New(Id, "usage", AgentApiClient.Serialize(usage)));
            columns["usage_seq"] = usage.Seq;
            columns["usage_to_sec"] = usage.ToSec;
        }
        byte[] stdout = Encoding.UTF8.GetBytes(result.Stdout.Text);
        if (stdout.Length > o.Daemon.OutputCapBytes) stdout = stdout[..(int)o.Daemon.OutputCapBytes];
        reports.Add(OutboxItem.New(Id, "result", stdout));
        var (status, detail) = result switch
        {
            _ when _run.CancelRequested || cancelRequested.IsCancellationRequested => (LeaseStatus.Cancelled, "cancelled by the consumer"),
            { TimedOut: true } => (LeaseStatus.TimedOut, "killed at the lease's time limit"),
            { OomKilled: true } => (LeaseStatus.Failed, "killed: out of memory"),
            { Error: { } err } => (LeaseStatus.Failed, err),
            { ExitCode: null } => (LeaseStatus.Failed, "the container's exit code is unknown"),
            _ => (LeaseStatus.Exited, (string?)null),
        };
        reports.Add(Status(status, result.ExitCode, detail));
        columns["status"] = LeasePhase.Done;
        columns["final_status"] = status.ToString();
        columns["exit_code"] = result.ExitCode;
        columns["detail"] = detail;
        Update(columns, reports.ToArray());
        o.Ledger.Release(Id);
        // A job that states its work and ran to completion tells what this machine really delivers
        // (survey eq. 1: the observed peak H_c behind q).
        if (status == LeaseStatus.Exited && result.ExitCode == 0 && LeaseJob.Parse(_lease.SpecJson, out _)?.Work is { Gflop: > 0 } work
            && _run.RunStartMs is { } s && endMs > s)
            o.Observed.Record(Inventory.ComputeType.Logical, work.Gflop * 1e9, TimeSpan.FromMilliseconds(endMs - s));
        o.Log($"lease {Id}: {status.ToString().ToLowerInvariant()}" + (result.ExitCode is { } c ? $" with exit code {c}" : "") + (detail is null ? "" : $" ({detail})"));
    }

    /// <summary>When the container really ended: the shim's exit.code file time, not when we noticed (we may have been down).</summary>
    private long EndOf(Runtime.ContainerResult result)
    {
        if (_run.RunEndMs is { } known) return known;
        var record = o.State.GetContainer(_run.ContainerId!);
        string exitFile = record is null ? "" : Path.Combine(record.BundlePath, Runtime.Runc.Shim.ExitFile);
        long now = NowMs();
        long end = File.Exists(exitFile) ? new DateTimeOffset(File.GetLastWriteTimeUtc(exitFile)).ToUnixTimeMilliseconds()
            : record?.FinishedAt?.ToUnixTimeMilliseconds() ?? (_run.RunStartMs ?? now) + (long)result.Duration.TotalMilliseconds;
        return Math.Clamp(end, _run.RunStartMs ?? end, now);
    }
}
