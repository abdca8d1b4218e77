using System.Collections.Concurrent;
using System.Text.Json;
using Market.Protocol.Agents;
using ProviderAgent.MarketApi;
using ProviderAgent.State;

namespace ProviderAgent.Leases;

/// <summary>
/// Receives leases (long-poll), records each once in the State database and runs one
/// <see cref="LeaseWorker"/> per lease; resumes the leases a previous run left open; takes cancel
/// requests. A malformed answer or payload is logged and skipped: the loop never dies of it.
/// </summary>
public sealed class LeaseService(LeaseServiceOptions o, AgentApiClient api)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<string, (Task Task, CancellationTokenSource Cancel)> _workers = new();

    /// <summary>Leases with a live worker (for the heartbeat).</summary>
    public IReadOnlyList<long> ActiveLeaseIds =>
        _workers.Where(w => !w.Value.Task.IsCompleted).Select(w => long.TryParse(w.Key, out var id) ? id : 0).Where(id => id > 0).ToList();

    /// <summary>Restarts the workers of every lease the database says is not finished.</summary>
    public void Resume(CancellationToken stop)
    {
        foreach (var run in o.State.ListOpenLeaseRuns())
        {
            o.Log($"lease {run.LeaseId}: resuming ({run.Phase})");
            Spawn(run, stop);
        }
    }

    public async Task PollLoopAsync(CancellationToken stop)
    {
        int failures = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var leases = await api.WaitForLeasesAsync(o.Daemon.LongPollSec, stop);
                failures = 0;
                foreach (var a in leases) Receive(a, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
            catch (Exception e) when (e is HttpRequestException or JsonException or MarketApiException or TaskCanceledException or NotSupportedException)
            {
                failures++;
                o.Log($"lease poll failed ({e.GetType().Name}): {e.Message}");
                try { await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(10_000, 250 * (1 << Math.Min(failures, 6)))), stop); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Takes one assignment: known leases are ignored (re-delivery), new ones recorded and started.</summary>
    public void Receive(LeaseAssignment a, CancellationToken stop)
    {
        string id = a.LeaseId.ToString();
        if (!o.State.TryInsertLeaseRun(id, JsonSerializer.Serialize(a, Json), a.JobSpecHash, LeaseWorker.NowMs())) return;
        o.Log($"lease {id}: received (job {a.JobId}, {a.MilliNcu} mNCU)");
        Spawn(o.State.GetLeaseRun(id)!, stop);
    }

    /// <summary>The consumer asked to cancel: the worker kills the container (or never starts it).</summary>
    public void Cancel(long leaseId)
    {
        string id = leaseId.ToString();
        var run = o.State.GetLeaseRun(id);
        if (run is null || LeasePhase.IsFinal(run.Phase) || run.CancelRequested) return;
        o.State.UpdateLeaseRun(id, new Dictionary<string, object?> { ["cancel_requested"] = 1 });
        if (_workers.TryGetValue(id, out var w)) w.Cancel.Cancel();
    }

    private void Spawn(LeaseRun run, CancellationToken stop)
    {
        var cancel = new CancellationTokenSource();
        var worker = new LeaseWorker(o, run, cancel.Token);
        var task = Task.Run(async () =>
        {
            try { await worker.RunAsync(stop); }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                // Unexpected: log it; the row stays open and the next start resumes it.
                o.Log($"lease {run.LeaseId}: worker failed: {e}");
            }
        }, CancellationToken.None);
        _workers[run.LeaseId] = (task, cancel);
    }

    /// <summary>Waits for the workers to return (they return promptly once <c>stop</c> is cancelled).</summary>
    public Task DrainAsync() => Task.WhenAll(_workers.Values.Select(w => w.Task));
}
