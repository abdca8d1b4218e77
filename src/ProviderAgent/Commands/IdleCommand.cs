using System.CommandLine;
using System.Runtime.InteropServices;
using ProviderAgent.Images;
using ProviderAgent.Runtime.Runc;

namespace ProviderAgent.Commands;

/// <summary>
/// Starts the agent's local services (State database, image store, runc backend with recovery)
/// and waits for SIGTERM/SIGINT. The daemon builds on this; `scripts/bench/agent.sh` measures its
/// resident memory (agent.idle_rss_mb).
/// </summary>
internal static class IdleCommand
{
    public static Command Create()
    {
        var cmd = new Command("idle", "Start the agent's local services and wait until stopped (SIGTERM or Ctrl-C).");
        foreach (var o in new Option[] { RuntimeOptions.AllowNetwork, RuntimeOptions.RuncRoot, RuntimeOptions.CgroupParent }) cmd.Options.Add(o);
        cmd.SetAction((result, ct) => CommonOptions.Guarded(async () =>
        {
            var paths = CommonOptions.Paths(result);
            var state = paths.OpenState();
            var images = new ImageStore(paths.DataDirectory);
            await using var runtime = new RuncRuntime(RuntimeOptions.Runc(result, paths), state);
            var report = await runtime.RecoverAsync(ct);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; stop.Cancel(); });
            Console.WriteLine($"ready: {images.List().Count} image(s), {report.Reattached.Count} container(s) re-attached");
            try { await Task.Delay(Timeout.Infinite, stop.Token); }
            catch (OperationCanceledException) { }
            return 0;
        }));
        return cmd;
    }
}
