using System.Diagnostics;
using System.Text.Json.Nodes;
using Market.Chain.Crypto;
using Market.TestSupport;

namespace Market.EndToEnd.Tests.Stack;

/// <summary>
/// One provider as its operator sets it up: `provider-agent init` (imported development key, a short
/// real benchmark pinned to <see cref="Cpus"/> so the measured capacity is this CPU set's),
/// `register` (stake by permit + attest), `offer`, `image import` of busybox, then `run` with the
/// runc backend in a private runc root and cgroup parent.
/// </summary>
public sealed class Provider(EthKey key, string cpus, long price, string root) : IAsyncDisposable
{
    private const string Passphrase = "e2e provider passphrase";
    private readonly string _tag = Guid.NewGuid().ToString("N")[..8];

    public EthKey Key => key;
    public string Cpus => cpus;
    public long Price => price;
    public string DataDir { get; } = Path.Combine(root, "agent-" + key.Address.ToLowerHex()[2..10]);
    public string RuncRoot => $"/run/compute-market-e2e-{_tag}/runc";
    public ulong MilliNcu { get; private set; }
    public AgentProcess? Daemon { get; private set; }

    private string[] Common => ["--data-dir", DataDir, "--passphrase-file", Path.Combine(DataDir, "..", $"pass-{_tag}")];

    public async Task SetUpAsync(string marketUrl, string rpcUrl, string deploymentFile, string stake)
    {
        await InitAsync(marketUrl, rpcUrl, deploymentFile);
        await JoinAsync(stake);
    }

    /// <summary>`init`: key import and the real benchmark, pinned to <see cref="Cpus"/>.</summary>
    public async Task InitAsync(string marketUrl, string rpcUrl, string deploymentFile)
    {
        Directory.CreateDirectory(DataDir);
        await File.WriteAllTextAsync(Common[3], Passphrase + "\n");
        string import = Path.Combine(root, $"import-{_tag}");
        var configPath = Path.Combine(DataDir, "agent.json");
        JsonNode config;
        // A loaded machine can measure nothing in a short run (0 mNCU cannot be offered): measure longer.
        for (var seconds = 0.3; ; seconds *= 3)
        {
            await File.WriteAllTextAsync(import, key.PrivateKeyHex);
            try
            {
                await AgentProcess.RunAsync(cpus, [.. Common, "init", "--import-key-file", import, "--market-url", marketUrl, "--rpc-url", rpcUrl,
                    "--deployment-file", deploymentFile, "--bench-runs", "1", "--bench-seconds", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "--scrypt-n", "1024", "--price", price.ToString()]);
            }
            finally { File.Delete(import); }
            config = JsonNode.Parse(await File.ReadAllTextAsync(configPath))!;
            MilliNcu = config["milliNcu"]!.GetValue<ulong>();
            if (MilliNcu > 0 || seconds > 3) break;
        }
        Assert.True(MilliNcu > 0, $"CPUs {cpus} measured 0 mNCU");
        // Quick daemon timings so a test sees heartbeats, usage and logs within a second.
        config["daemon"] = new JsonObject { ["usageIntervalSec"] = 1, ["heartbeatSec"] = 1, ["longPollSec"] = 2, ["logFlushMs"] = 100 };
        await File.WriteAllTextAsync(configPath, config.ToJsonString());
    }

    /// <summary>`register` (stake + attest), `offer`, and the busybox image imported.</summary>
    public async Task JoinAsync(string stake)
    {
        await AgentProcess.RunAsync(null, [.. Common, "register", "--stake", stake]);
        await AgentProcess.RunAsync(null, [.. Common, "offer"]);
        string tar = Path.Combine(root, $"busybox-{_tag}.tar");
        BusyboxImage.WriteDockerSave(tar);
        await AgentProcess.RunAsync(null, [.. Common, "image", "import", tar, "--name", "busybox:latest"]);
        File.Delete(tar);
    }

    public async Task StartAsync() => Daemon = await AgentProcess.StartAsync(cpus, "ready:",
        [.. Common, "run", "--runc-root", RuncRoot, "--cgroup-parent", $"compute-market-e2e-{_tag}"]);

    public async ValueTask DisposeAsync()
    {
        if (Daemon is not null) await Daemon.DisposeAsync();
        // A killed daemon leaves its containers to the next start; nobody starts it again here.
        if (Directory.Exists(RuncRoot))
            foreach (var d in Directory.EnumerateDirectories(RuncRoot))
                using (var p = Process.Start("runc", ["--root", RuncRoot, "delete", "--force", Path.GetFileName(d)])) await p.WaitForExitAsync();
        try { Directory.Delete(Path.GetDirectoryName(RuncRoot)!, recursive: true); } catch (IOException) { }
        // The cgroup parent in every hierarchy (v1) or the unified one (v2): empty by now, rmdir only.
        var parent = $"compute-market-e2e-{_tag}";
        foreach (var dir in Directory.EnumerateDirectories("/sys/fs/cgroup").Select(h => Path.Combine(h, parent)).Append(Path.Combine("/sys/fs/cgroup", parent)))
        {
            if (!Directory.Exists(dir)) continue;
            foreach (var child in Directory.EnumerateDirectories(dir)) TryRmdir(child);
            TryRmdir(dir);
        }
    }

    private static void TryRmdir(string dir)
    {
        try { Directory.Delete(dir); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
