using System.CommandLine;
using System.Runtime.InteropServices;
using ProviderAgent.Config;
using ProviderAgent.Daemon;
using ProviderAgent.Images;

namespace ProviderAgent.Commands;

/// <summary>`provider-agent run`: the daemon (<see cref="AgentService"/>) until SIGTERM or Ctrl-C.</summary>
internal static class DaemonCommand
{
    public static Command Create()
    {
        var cmd = new Command("run", "Run the provider daemon: receive leases, verify them on chain, run them, report logs, results and signed usage.");
        foreach (var o in new Option[] { RuntimeOptions.Backend, RuntimeOptions.DockerSocket, RuntimeOptions.RuncRoot, RuntimeOptions.CgroupParent })
            cmd.Options.Add(o);
        cmd.SetAction((result, ct) => CommonOptions.Guarded(async () =>
        {
            var paths = CommonOptions.Paths(result);
            var config = ChainOptions.Config(result);
            var key = ChainOptions.Key(result, config);
            var state = paths.OpenState();
            await using var runtime = RuntimeOptions.Create(result, paths, state, new ImageStore(paths.DataDirectory), config.AllowNetwork);
            using var http = new HttpClient { BaseAddress = new Uri(config.MarketUrl), Timeout = TimeSpan.FromSeconds(config.Daemon.LongPollSec + 30) };
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; stop.Cancel(); });
            var service = AgentService.Create(config, paths.DataDirectory, state, runtime, key, http, Log);
            Log($"provider {key.Address}, market {config.MarketUrl}, chain {config.RpcUrl}");
            await service.RunAsync(stop.Token);
            return 0;
        }));
        return cmd;
    }

    private static void Log(string line) => Console.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {line}");
}
