using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Market.Cli.Cli;
using Market.Cli.Jobs;
using static Market.Cli.Commands.MarketDataCommands;

namespace Market.Cli.Commands;

/// <summary>`market job …`: the signed-in wallet's jobs.</summary>
internal static class JobCommands
{
    private static readonly string[] TypeNames = ["logical", "parallel", "neural"];
    private static readonly string[] GradeNames = ["", "super", "large", "medium", "small"];

    public static Command Create(GlobalOptions o)
    {
        var job = new Command("job", "Submit and follow jobs");
        job.Subcommands.Add(JobSubmitCommand.Create(o));
        job.Subcommands.Add(List(o));
        job.Subcommands.Add(Status(o));
        job.Subcommands.Add(JobLogsCommand.Create(o));
        job.Subcommands.Add(Result(o));
        job.Subcommands.Add(Cancel(o));
        job.Subcommands.Add(Settlement(o));
        return job;
    }

    internal static Argument<long> JobId() => new("id") { Description = "Job id" };

    private static Command List(GlobalOptions o)
    {
        var cmd = new Command("list", "My jobs, newest first");
        cmd.Action(o, async (r, ctx, ct) =>
        {
            var jobs = await ctx.Api.GetAsync("v1/jobs", auth: true, ct) as JsonArray ?? [];
            if (ctx.Json) { ctx.Out.Json(jobs); return ExitCodes.Ok; }
            ctx.Out.Table(["id", "status", "type", "grade", "mNCU", "lease", "price", "created (UTC)"], jobs.Select(j => (IReadOnlyList<string?>)
            [
                S(j, "id"), S(j, "status"), Name(j?["computeType"], TypeNames), Name(j?["grade"], GradeNames), S(j, "milliNcu"),
                S(j, "leaseId"), S(j, "pricePerNcuHour"), Time(j?["createdAt"]),
            ]));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Status(GlobalOptions o)
    {
        var id = JobId();
        var cmd = new Command("status", "A job's status, lease and timeline") { id };
        cmd.Action(o, async (r, ctx, ct) =>
        {
            var j = await ctx.Api.GetAsync($"v1/jobs/{r.GetValue(id)}", auth: true, ct);
            if (ctx.Json) { ctx.Out.Json(j); return ExitCodes.Ok; }
            var lease = j?["lease"];
            ctx.Out.Fields(
            [
                ("job", S(j, "id")), ("status", S(j, "status")), ("type", Name(j?["computeType"], TypeNames)), ("grade", Name(j?["grade"], GradeNames)),
                ("mNCU", S(j, "milliNcu")), ("max price", S(j, "maxPricePerNcuHour")), ("price", S(j, "pricePerNcuHour")), ("provider", S(j, "provider")),
                ("lease", S(lease, "id")), ("lease status", S(lease, "status")), ("open tx", S(lease, "openTx")), ("exit code", S(lease, "exitCode")),
                ("agent", S(lease, "agentDetail")),
            ]);
            ctx.Out.Table(["#", "at (UTC)", "status", "detail"], (j?["timeline"] as JsonArray ?? []).Select(t => (IReadOnlyList<string?>)
                [S(t, "seq"), Time(t?["at"]), S(t, "status"), S(t, "detail")]), "timeline");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Result(GlobalOptions o)
    {
        var id = JobId();
        var file = new Option<string?>("-o", "--output") { Description = "Write the result to this file (default: stdout)" };
        var cmd = new Command("result", "Download a job's result") { id, file };
        cmd.Action(o, async (r, ctx, ct) =>
        {
            var (data, type) = await ctx.Api.GetBytesAsync($"v1/jobs/{r.GetValue(id)}/result", auth: true, ct);
            var path = r.GetValue(file);
            if (path is not null) await File.WriteAllBytesAsync(path, data, ct);
            if (ctx.Json)
            {
                var json = new JsonObject { ["jobId"] = r.GetValue(id), ["bytes"] = data.Length, ["contentType"] = type };
                if (path is null) json["base64"] = Convert.ToBase64String(data); else json["file"] = Path.GetFullPath(path);
                ctx.Out.Json(json);
            }
            else if (path is null) ctx.Out.Writer.Write(Encoding.UTF8.GetString(data));
            else ctx.Out.Line($"wrote {data.Length} bytes to {path}");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Cancel(GlobalOptions o)
    {
        var id = JobId();
        var cmd = new Command("cancel", "Cancel a job that has not started") { id };
        cmd.Action(o, async (r, ctx, ct) =>
        {
            var answer = await ctx.Api.DeleteAsync($"v1/jobs/{r.GetValue(id)}", ct);
            if (ctx.Json) ctx.Out.Json(answer); else ctx.Out.Line($"job {r.GetValue(id)}: {S(answer, "status")}");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Settlement(GlobalOptions o)
    {
        var id = JobId();
        var cmd = new Command("settlement", "How a job's lease was (or will be) settled: usage, charge, fee, refund, transactions") { id };
        cmd.Action(o, async (r, ctx, ct) =>
        {
            var s = await ctx.Api.GetAsync($"v1/jobs/{r.GetValue(id)}/settlement", auth: true, ct);
            if (ctx.Json) { ctx.Out.Json(s); return ExitCodes.Ok; }
            ctx.Out.Fields((s as JsonObject ?? []).Where(kv => kv.Key != "evidence").Select(kv => (kv.Key, kv.Value?.ToString())));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    internal static string? Time(JsonNode? unixMillis) =>
        unixMillis is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(unixMillis.GetValue<long>()).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss");
}
