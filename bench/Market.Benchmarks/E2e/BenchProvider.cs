using System.Diagnostics;
using System.Text.Json.Nodes;
using Market.TestSupport;

namespace Market.Benchmarks.E2e;

/// <summary>
/// One provider, set up the way a provider does it with the built `provider-agent` binary: init
/// (imported key, short benchmark), register (stake by permit) + attest, offer, image import, then
/// `run` as a daemon with its own runc root and cgroup parent — each through
/// <see cref="AgentProcess"/>. Dispose stops exactly that daemon, then removes whatever containers
/// are left in its private runc root.
/// </summary>
public sealed class BenchProvider : IDisposable
{
    private readonly string _dir, _runcRoot;
    private AgentProcess? _daemon;

    private BenchProvider(string dir, string runcRoot) { _dir = dir; _runcRoot = runcRoot; }

    /// <summary>
    /// Registers and offers <paramref name="milliNcu"/> in slices of at most 9,999 mNCU (grade 3). The capacity is
    /// declared, not the 2-core host's measured one: three agents share the machine and the bench needs room for
    /// hundreds of small leases waiting for settlement (agent.mncu measures the host).
    /// </summary>
    public static async Task<BenchProvider> SetUpAsync(HardhatNode node, string marketUrl, string providerKeyHex, long price, ulong milliNcu, string image, string tag)
    {
        var dir = Directory.CreateTempSubdirectory("market-e2e-agent-").FullName;
        var agent = new BenchProvider(dir, $"/run/compute-market-e2e-{tag}/runc");
        var keyFile = Path.Combine(dir, "import.key");
        File.WriteAllText(Path.Combine(dir, "pass"), "bench passphrase " + tag + "\n");
        File.WriteAllText(keyFile, providerKeyHex);
        try
        {
            await agent.CliAsync("init", "--import-key-file", keyFile, "--rpc-url", node.RpcUrl, "--deployment-file", node.DeploymentFile,
                "--market-url", marketUrl, "--bench-runs", "1", "--bench-seconds", "0.3", "--scrypt-n", "1024", "--price", price.ToString(),
                "--max-offer-mncu", "9999");
        }
        finally { File.Delete(keyFile); }
        var configPath = Path.Combine(dir, "data", "agent.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!;
        config["milliNcu"] = milliNcu;
        config["grade"] = 2;
        File.WriteAllText(configPath, config.ToJsonString());
        await agent.CliAsync("register");
        await agent.CliAsync("offer");
        await agent.CliAsync("image", "import", image, "--name", "busybox:latest");
        return agent;
    }

    private string[] Common => ["--data-dir", Path.Combine(_dir, "data"), "--passphrase-file", Path.Combine(_dir, "pass")];

    private Task CliAsync(params string[] args) => AgentProcess.RunAsync(null, [.. Common, .. args]);

    /// <summary>Starts `provider-agent run` and waits for its "ready:" line.</summary>
    public async Task RunAsync()
    {
        var tag = Path.GetFileName(Path.GetDirectoryName(_runcRoot))!;
        _daemon = await AgentProcess.StartAsync(null, "ready:", [.. Common, "run", "--runc-root", _runcRoot, "--cgroup-parent", tag]);
    }

    public string Output => _daemon?.Output ?? "";

    private int _disposed;

    private IEnumerable<int> ShimPids()
    {
        foreach (var proc in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out var pid) || pid == Environment.ProcessId) continue;
            string cmdline;
            try { cmdline = File.ReadAllText(Path.Combine(proc, "cmdline")); } catch (IOException) { continue; } catch (UnauthorizedAccessException) { continue; }
            if (cmdline.Contains("shim.sh", StringComparison.Ordinal) && cmdline.Contains(_runcRoot, StringComparison.Ordinal)) yield return pid;
        }
    }

    /// <summary>Idempotent and thread-safe: the bench's signal handler and its finally may both call it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _daemon?.DisposeAsync().AsTask().GetAwaiter().GetResult(); // SIGTERM, SIGKILL after 30 s
        // The daemon leaves containers running for its next start; this one has no next start. First
        // the shims it started (their command line names this run's private runc root), so none is
        // still creating a container while the others are deleted.
        foreach (var pid in ShimPids())
            try { using var shim = Process.GetProcessById(pid); shim.Kill(entireProcessTree: true); } // with its `runc run`
            catch (ArgumentException) { } catch (InvalidOperationException) { }
        if (Directory.Exists(_runcRoot))
            foreach (var id in Directory.GetDirectories(_runcRoot).Select(Path.GetFileName))
                using (var rm = Process.Start("runc", ["--root", _runcRoot, "delete", "--force", id!])) rm.WaitForExit();
        try { Directory.Delete(Path.GetDirectoryName(_runcRoot)!, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        // The daemon's cgroup parent (v2: one folder; v1: one per controller), empty once its containers
        // are deleted, is left when the daemon was stopped before it cleaned up; rmdir is how a cgroup goes.
        var parent = Path.GetFileName(Path.GetDirectoryName(_runcRoot)!);
        var roots = Directory.Exists("/sys/fs/cgroup") ? Directory.GetDirectories("/sys/fs/cgroup").Prepend("/sys/fs/cgroup").ToList() : [];
        // A container cgroup just deleted can keep its parent busy for a moment: retry for a few seconds.
        for (int attempt = 0; attempt < 30; attempt++)
        {
            var left = roots.Select(r => Path.Combine(r, parent)).Where(Directory.Exists).ToList();
            foreach (var cgroup in left)
                try { Directory.Delete(cgroup); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            if (left.Count == 0 || !left.Any(Directory.Exists)) break;
            Thread.Sleep(100);
        }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
