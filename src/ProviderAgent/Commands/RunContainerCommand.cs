using System.CommandLine;
using ProviderAgent.Images;
using ProviderAgent.Runtime;

namespace ProviderAgent.Commands;

/// <summary>Debug command: runs one container with the job limits and prints what happened.</summary>
internal static class RunContainerCommand
{
    public static Command Create()
    {
        var image = new Option<string>("--image") { Description = "Image name[:tag] or digest from the local store", Required = true };
        var memory = new Option<int>("--memory-mib") { Description = "Memory limit in MiB (no swap)", DefaultValueFactory = _ => 256 };
        var cpus = new Option<double>("--cpus") { Description = "CPU quota in cores (e.g. 0.5)", DefaultValueFactory = _ => 1.0 };
        var pids = new Option<int>("--pids") { Description = "Maximum number of processes", DefaultValueFactory = _ => 256 };
        var timeout = new Option<double>("--timeout") { Description = "Hard timeout in seconds, then SIGKILL", DefaultValueFactory = _ => 60 };
        var network = new Option<bool>("--network") { Description = "Ask for network access (granted only with --allow-network)" };
        var env = new Option<string[]>("--env", "-e") { Description = "Environment variable KEY=VALUE (repeatable)", AllowMultipleArgumentsPerToken = false };
        var command = new Argument<string[]>("command") { Description = "Command and arguments, after --", Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("run-container", "Run one container with limits and print its output and exit code (debugging aid). Example: provider-agent run-container --image busybox -- echo hi");
        foreach (var o in new Option[] { image, memory, cpus, pids, timeout, network, env }) cmd.Options.Add(o);
        RuntimeOptions.AddTo(cmd);
        cmd.Arguments.Add(command);
        cmd.SetAction((result, ct) => CommonOptions.Guarded(async () =>
        {
            var paths = CommonOptions.Paths(result);
            var images = new ImageStore(paths.DataDirectory);
            var spec = new ContainerSpec(images.Require(result.GetValue(image)!), result.GetValue(command),
                result.GetValue(env), Limits: new ContainerLimits(
                    MemoryBytes: (long)result.GetValue(memory) << 20, Cpus: result.GetValue(cpus), Pids: result.GetValue(pids)),
                Timeout: TimeSpan.FromSeconds(result.GetValue(timeout)), Network: result.GetValue(network));
            await using var runtime = RuntimeOptions.Create(result, paths, paths.OpenState(), images);
            var r = await runtime.RunAsync(spec, ct);
            Console.Out.Write(r.Stdout.Text);
            Console.Error.Write(r.Stderr.Text);
            Console.Error.WriteLine($"[{r.Id}] exit code {r.ExitCode?.ToString() ?? "unknown"}"
                + (r.OomKilled ? ", killed: out of memory" : "") + (r.TimedOut ? ", killed: timeout" : "")
                + (r.Error is null ? "" : $", error: {r.Error}") + $", {r.Duration.TotalMilliseconds:F0} ms");
            return r.ExitCode ?? 125;
        }));
        return cmd;
    }
}
