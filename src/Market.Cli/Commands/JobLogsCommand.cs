using System.CommandLine;
using System.Text.Json.Nodes;
using Market.Cli.Cli;
using Market.Cli.Jobs;

namespace Market.Cli.Commands;

/// <summary>`market job logs <id> [--follow]`: the job's output; --follow long-polls until the job ends.</summary>
internal static class JobLogsCommand
{
    public static Command Create(GlobalOptions o)
    {
        var id = JobCommands.JobId();
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines until the job ends" };
        var cmd = new Command("logs", "A job's log lines") { id, follow };
        cmd.Action(o, async (r, ctx, ct) =>
        {
            long jobId = r.GetValue(id), after = 0;
            var all = new JsonArray();
            while (true)
            {
                var f = r.GetValue(follow);
                var lines = await ctx.Api.GetAsync($"v1/jobs/{jobId}/logs?after={after}" + (f ? "&follow=true" : ""), auth: true, ct) as JsonArray ?? [];
                foreach (var l in lines)
                {
                    after = Math.Max(after, l?["seq"]?.GetValue<long>() ?? after);
                    if (ctx.Json) all.Add(l?.DeepClone());
                    else
                    {
                        var data = l?["data"]?.GetValue<string>() ?? "";
                        if (data.EndsWith('\n')) ctx.Out.Writer.Write(data); else ctx.Out.Writer.WriteLine(data);
                    }
                }
                if (!f) break;
                if (lines.Count == 0)
                {
                    var job = await ctx.Api.GetAsync($"v1/jobs/{jobId}", auth: true, ct);
                    if (JobStatuses.IsFinal(job?["status"]?.GetValue<string>() ?? "")) break;
                }
            }
            if (ctx.Json) ctx.Out.Json(all);
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
