using System.Diagnostics;
using ProviderAgent.Images;
using ProviderAgent.Runtime.Docker;
using ProviderAgent.State;
using Xunit.Abstractions;

namespace ProviderAgent.Tests.Support;

/// <summary>
/// A private dockerd for the Docker-backend tests, as HOST-NOTES describes: inside `unshare -n`
/// (its bridge and firewall rules stay off the host), with its own socket, data root, exec root
/// and cgroup parent in a scratch folder. Dispose stops exactly that process and removes its
/// mounts, cgroups and files. Where dockerd cannot start, <see cref="SkipReason"/> says why and
/// the tests report "SKIPPED: reason" instead of failing (xunit 2 has no dynamic skip).
/// </summary>
public sealed class DockerFixture : IAsyncLifetime
{
    private readonly string _tag = Guid.NewGuid().ToString("N")[..8];
    private Process? _dockerd;

    public TempDir Dir { get; } = new();
    public string? SkipReason { get; private set; }
    public string Socket => Dir.File("docker.sock");
    public string CgroupParent => $"compute-market-dockertest-{_tag}";
    public ImageStore Images { get; private set; } = null!;
    public ImageRecord Busybox { get; private set; } = null!;
    public AgentStateStore State { get; private set; } = null!;

    public DockerRuntime NewRuntime() => new(new DockerOptions { SocketPath = Socket, DataDirectory = Dir.Path },
        new AgentStateStore(State.DatabasePath), Images);

    public async Task InitializeAsync()
    {
        Images = new ImageStore(Dir.Path);
        string tar = Dir.File("busybox.tar");
        TestImages.WriteDockerSave(tar, [TestImages.BusyboxLayer]);
        Busybox = Images.Import(tar);
        State = new AgentStateStore(Path.Combine(Dir.Path, "state.db"));
        // PROVIDER_AGENT_TEST_DOCKERD points at another dockerd (or at nothing, to try the skip path).
        var candidates = Environment.GetEnvironmentVariable("PROVIDER_AGENT_TEST_DOCKERD") is { Length: > 0 } custom
            ? [custom] : new[] { "/usr/sbin/dockerd", "/usr/bin/dockerd" };
        string? dockerd = candidates.FirstOrDefault(File.Exists);
        if (dockerd is null) { SkipReason = $"dockerd is not installed (Debian package docker.io; looked for {string.Join(", ", candidates)})"; return; }
        if (Environment.UserName != "root") { SkipReason = "dockerd needs root"; return; }
        string d = Dir.Path;
        var psi = new ProcessStartInfo("unshare") { UseShellExecute = false };
        foreach (var a in new[] { "-n", "sh", "-c",
            $"ip link set lo up; exec {dockerd} -H unix://{d}/docker.sock --data-root {d}/data --exec-root {d}/exec " +
            $"--pidfile {d}/dockerd.pid --cgroup-parent /{CgroupParent} >{d}/dockerd.log 2>&1" })
            psi.ArgumentList.Add(a);
        _dockerd = Process.Start(psi);
        using var client = new DockerEngineClient(Socket);
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(40))
        {
            if (_dockerd is null || _dockerd.HasExited) break;
            if (File.Exists(Socket) && await client.PingAsync(CancellationToken.None)) return;
            await Task.Delay(200);
        }
        string log = File.Exists(Path.Combine(d, "dockerd.log")) ? File.ReadAllText(Path.Combine(d, "dockerd.log")) : "";
        string why = _dockerd is null ? "could not be started" : _dockerd.HasExited ? $"exited with code {_dockerd.ExitCode}" : "did not answer within 40 s";
        SkipReason = $"dockerd {why}; log: {string.Join(" | ", log.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(3))}";
        await StopDockerdAsync();
    }

    /// <summary>Prints the skip notice where a test runner shows it; returns true when the test must not run.</summary>
    public bool Skip(ITestOutputHelper output, string test)
    {
        if (SkipReason is null) return false;
        string line = $"SKIPPED: {test}: {SkipReason}";
        output.WriteLine(line);
        Console.Error.WriteLine(line);
        return true;
    }

    private async Task StopDockerdAsync()
    {
        if (_dockerd is null) return;
        if (!_dockerd.HasExited)
        {
            // SIGTERM lets dockerd stop its containers, its containerd and unmount its layers.
            using (var kill = Process.Start("kill", ["-TERM", _dockerd.Id.ToString()])) await kill.WaitForExitAsync();
            try { await _dockerd.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)); }
            catch (TimeoutException) { _dockerd.Kill(entireProcessTree: true); await _dockerd.WaitForExitAsync(); }
        }
        _dockerd.Dispose();
        _dockerd = null;
    }

    public async Task DisposeAsync()
    {
        await StopDockerdAsync();
        // Anything still mounted under our folder (a killed dockerd leaves overlay and shm mounts).
        var mounts = File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4])
            .Where(m => m.StartsWith(Dir.Path + "/", StringComparison.Ordinal)).OrderByDescending(m => m.Length).ToList();
        foreach (var m in mounts)
            using (var u = Process.Start("umount", ["-l", m])) await u.WaitForExitAsync();
        foreach (var hierarchy in Directory.EnumerateDirectories("/sys/fs/cgroup").Where(h => new DirectoryInfo(h).LinkTarget is null))
        {
            string parent = Path.Combine(hierarchy, CgroupParent);
            if (!Directory.Exists(parent)) continue;
            foreach (var child in Directory.EnumerateDirectories(parent)) TryRmdir(child);
            TryRmdir(parent);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Dir.Dispose();
    }

    private static void TryRmdir(string d) { try { Directory.Delete(d); } catch (IOException) { } }
}

[CollectionDefinition(Name)]
public sealed class DockerCollection : ICollectionFixture<DockerFixture>
{
    public const string Name = "docker";
}
