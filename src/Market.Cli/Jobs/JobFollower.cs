using System.Text.Json.Nodes;
using Market.Cli.Api;
using Market.Cli.Cli;

namespace Market.Cli.Jobs;

/// <summary>Polls a job until it reaches a final status (<see cref="JobStatuses.IsFinal"/>) or the timeout passes.</summary>
internal static class JobFollower
{
    public static async Task<JsonNode> WaitAsync(MarketApiClient api, long jobId, TimeSpan timeout, Action<string>? onStatus, CancellationToken ct)
    {
        var until = DateTime.UtcNow + timeout;
        string? last = null;
        while (true)
        {
            var job = await api.GetAsync($"v1/jobs/{jobId}", auth: true, ct) ?? throw new CliException(ExitCodes.Error, "empty job");
            var status = job["status"]?.GetValue<string>() ?? "";
            if (status != last) { onStatus?.Invoke(status); last = status; }
            if (JobStatuses.IsFinal(status)) return job;
            if (DateTime.UtcNow > until) throw new CliException(ExitCodes.JobFailed, $"job {jobId} is still {status} after {timeout.TotalSeconds:0} s");
            await Task.Delay(400, ct);
        }
    }
}
