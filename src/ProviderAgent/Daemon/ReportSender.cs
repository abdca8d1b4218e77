using ProviderAgent.MarketApi;
using ProviderAgent.State;

namespace ProviderAgent.Daemon;

/// <summary>
/// Delivers the outbox in order: status, logs, usage and results reach the market exactly as they
/// were recorded, retried until the market answers. A report the market refuses for good (4xx: a
/// finished lease, a usage interval it rejects) is marked with the refusal and never blocks the
/// ones behind it; transport failures and 5xx are retried with backoff.
/// </summary>
public sealed class ReportSender(AgentStateStore state, AgentApiClient api, Action<string> log)
{
    public TimeSpan Idle { get; init; } = TimeSpan.FromMilliseconds(200);

    // Released when reports are queued: a Running status waiting out the idle poll was a visible
    // part of submit→running (and the dispatcher re-delivers the lease until it hears Accepted).
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Wake()
    {
        try { _wake.Release(); } catch (SemaphoreFullException) { } // already signalled
    }

    public async Task RunAsync(CancellationToken stop)
    {
        int failures = 0;
        while (!stop.IsCancellationRequested)
        {
            bool sentAll = await SendPendingAsync(stop);
            failures = sentAll ? 0 : failures + 1;
            var delay = sentAll ? Idle : TimeSpan.FromMilliseconds(Math.Min(10_000, 200 * (1 << Math.Min(failures, 6))));
            try
            {
                if (sentAll) await _wake.WaitAsync(delay, stop);
                else await Task.Delay(delay, stop);
            }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Sends what is pending; false when a transient failure stopped it.</summary>
    public async Task<bool> SendPendingAsync(CancellationToken ct)
    {
        foreach (var item in state.PendingReports())
        {
            if (!long.TryParse(item.LeaseId, out var leaseId) || leaseId <= 0)
            {
                state.MarkReportSent(item.Id, "dropped: no valid lease id");
                continue;
            }
            try
            {
                await api.SendReportAsync(leaseId, item.Kind, item.Body, ct);
                state.MarkReportSent(item.Id, "ok");
            }
            catch (MarketApiException e) when (e.IsPermanent)
            {
                log($"lease {leaseId}: the market refused a {item.Kind} report: {e.Message}");
                state.MarkReportSent(item.Id, "refused: " + (e.Message.Length > 300 ? e.Message[..300] : e.Message));
            }
            catch (Exception e) when (e is HttpRequestException or MarketApiException or TaskCanceledException or System.Text.Json.JsonException && !ct.IsCancellationRequested)
            {
                log($"lease {leaseId}: {item.Kind} report not delivered yet: {e.Message}");
                return false;
            }
        }
        return true;
    }
}
