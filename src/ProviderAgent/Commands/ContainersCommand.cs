using System.CommandLine;
using ProviderAgent.Images;
using Spectre.Console;

namespace ProviderAgent.Commands;

internal static class ContainersCommand
{
    public static Command Create()
    {
        var cmd = new Command("containers", "List this agent's containers, or recover them after a restart.");
        var list = new Command("list", "List the containers recorded in the State database.");
        RuntimeOptions.AddTo(list);
        list.SetAction((result, ct) => CommonOptions.Guarded(async () =>
        {
            var paths = CommonOptions.Paths(result);
            await using var runtime = RuntimeOptions.Create(result, paths, paths.OpenState(), new ImageStore(paths.DataDirectory));
            var t = new Table().AddColumn("ID").AddColumn("status").AddColumn("image").AddColumn("lease").AddColumn("created");
            foreach (var c in await runtime.ListAsync(ct))
                t.AddRow(c.Id, c.Status.ToString(), c.ImageDigest[7..19], c.LeaseId ?? "", c.CreatedAt.ToString("u"));
            AnsiConsole.Write(t);
            return 0;
        }));
        var recover = new Command("recover", "Re-attach to containers a previous agent left running, wait for them, and clean up.");
        RuntimeOptions.AddTo(recover);
        recover.SetAction((result, ct) => CommonOptions.Guarded(async () =>
        {
            var paths = CommonOptions.Paths(result);
            await using var runtime = RuntimeOptions.Create(result, paths, paths.OpenState(), new ImageStore(paths.DataDirectory));
            var report = await runtime.RecoverAsync(ct);
            Console.WriteLine($"re-attached {report.Reattached.Count}, finished while away {report.FinishedWhileAway.Count}, " +
                $"failed {report.Failed.Count}, orphans removed {report.OrphansRemoved.Count}");
            foreach (var id in report.Reattached.Concat(report.FinishedWhileAway))
            {
                var r = await runtime.WaitAsync(id, ct);
                Console.WriteLine($"{id}: exit code {r.ExitCode?.ToString() ?? "unknown"}{(r.Error is null ? "" : ", " + r.Error)}");
            }
            return 0;
        }));
        cmd.Subcommands.Add(list);
        cmd.Subcommands.Add(recover);
        return cmd;
    }
}
