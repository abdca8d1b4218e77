using System.Text.Json.Nodes;

namespace Market.Cli.Jobs;

/// <summary>Job statuses as the API reports them (docs/api.md), and which of them end a job well.</summary>
internal static class JobStatuses
{
    public static bool IsFinal(string status) =>
        status is "exited" or "failed" or "timedout" or "settled" or "reclaimed" or "expired" or "cancelled" or "rejected" or "refused";

    /// <summary>Exited or settled with exit code 0 (or none reported): the job did what it was asked.</summary>
    public static bool Succeeded(JsonNode job)
    {
        var status = job["status"]?.GetValue<string>() ?? "";
        var exit = job["lease"]?["exitCode"];
        return status is "exited" or "settled" && (exit is null || exit.GetValue<long>() == 0);
    }
}
