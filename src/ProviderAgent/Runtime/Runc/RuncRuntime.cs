using System.Collections.Concurrent;
using System.Diagnostics;
using ProviderAgent.State;

namespace ProviderAgent.Runtime.Runc;

/// <summary>
/// The runc OCI backend. Each container gets a bundle under &lt;data&gt;/containers/&lt;id&gt; with a
/// config.json built by <see cref="OciConfig"/>, the image's shared read-only rootfs, and a
/// detached <see cref="Shim"/> that runs `runc run`. A watcher task per container enforces the
/// timeout and records the outcome in the State database.
/// </summary>
public sealed partial class RuncRuntime : IContainerRuntime
{
    public const string BackendName = "runc";
    private readonly RuncOptions _options;
    private readonly AgentStateStore _state;
    private readonly RuncCli _cli;
    private readonly Cgroups _cgroups;
    private readonly string _bundlesDir, _shimPath;
    private readonly ConcurrentDictionary<string, Task<ContainerResult>> _watchers = new();
    private readonly CancellationTokenSource _disposed = new();
    // Guards the shared cgroup parent: it is removed only when no container of ours can be using it.
    private readonly Lock _cgroupGate = new();
    private int _liveCgroups;
    // Held from a container's first database row until its watcher is registered, and by
    // RecoverAsync: recovery must never mistake a container being started for an abandoned one.
    private readonly SemaphoreSlim _registration = new(1, 1);

    public RuncRuntime(RuncOptions options, AgentStateStore state, Cgroups? cgroups = null)
    {
        _options = options;
        _state = state;
        _cli = new RuncCli(options.RuncPath, options.StateRoot);
        _cgroups = cgroups ?? new Cgroups();
        _bundlesDir = Path.Combine(Path.GetFullPath(options.DataDirectory), "containers");
        Directory.CreateDirectory(_bundlesDir);
        Directory.CreateDirectory(options.StateRoot);
        _shimPath = Path.Combine(_bundlesDir, "shim.sh");
        // Replaced by rename, never rewritten in place: bash reads a script as it runs, and shims
        // of containers started by an earlier agent keep the old inode open.
        string tmp = _shimPath + "." + Environment.ProcessId;
        File.WriteAllText(tmp, Shim.Script + "\n");
        File.Move(tmp, _shimPath, overwrite: true);
    }

    public string Name => BackendName;

    public CgroupVersion CgroupVersion => _cgroups.Version;

    internal string CgroupsPath(string id) => $"/{_options.CgroupParent}/{id}";

    private string BundleOf(string id) => Path.Combine(_bundlesDir, id);

    public async Task<string> StartAsync(ContainerSpec spec, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        spec.EffectiveLimits.Validate();
        if (spec.Network && !_options.AllowNetwork)
            throw new ContainerRuntimeException("the job asks for network access, which this provider does not allow");
        if (!Directory.Exists(spec.Image.RootfsPath))
            throw new ContainerRuntimeException($"image {spec.Image.ShortId} has no rootfs at {spec.Image.RootfsPath}");
        string id = ContainerIds.New(_options.IdPrefix);
        string bundle = BundleOf(id);
        Directory.CreateDirectory(bundle);
        var config = OciConfig.Build(spec, spec.Image.RootfsPath, CgroupsPath(id), spec.Network, _cgroups.SwapLimitSupported);
        await File.WriteAllTextAsync(Path.Combine(bundle, "config.json"), config.ToJsonString(), ct);
        var now = DateTimeOffset.UtcNow;
        var record = new ContainerRecord(id, BackendName, spec.Image.Digest, spec.LeaseId, bundle, ContainerState.Starting,
            null, now, now + spec.EffectiveTimeout);
        Task<ContainerResult> watcher;
        await _registration.WaitAsync(ct);
        try
        {
            // Recorded before anything runs: from here on a crash leaves a row a restart resolves.
            _state.InsertContainer(record);
            lock (_cgroupGate) _liveCgroups++;
            Process shim;
            try
            {
                Shim.MakeFifos(bundle);
                shim = StartShim(id, bundle, spec.LogCapBytes);
            }
            catch (Exception e)
            {
                lock (_cgroupGate) _liveCgroups--;
                _state.MarkFinished(id, ContainerState.Failed, null, false, false, $"shim failed to start: {e.Message}");
                throw new ContainerRuntimeException($"could not start the container shim: {e.Message}", e);
            }
            _state.MarkRunning(id, shim.Id);
            var started = Stopwatch.StartNew();
            watcher = Task.Run(() => WatchAsync(record, shim, started));
            _watchers[id] = watcher;
        }
        finally { _registration.Release(); }
        await WaitUntilCreatedAsync(id, watcher, ct);
        return id;
    }

    private Process StartShim(string id, string bundle, long cap)
    {
        // setsid: the shim leaves the agent's session and process group, so a Ctrl-C or SIGTERM
        // aimed at the agent never reaches runc (which would forward it into the container).
        var psi = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var a in new[] { "bash", _shimPath, _options.RuncPath, _options.StateRoot, bundle, id, Math.Max(1, cap).ToString() })
            psi.ArgumentList.Add(a);
        return Process.Start(psi) ?? throw new InvalidOperationException("Process.Start returned null");
    }

    // runc writes state.json once the container exists; polling a file costs microseconds where
    // `runc state` would cost a process spawn. The watcher ending first means the container
    // already ran (or failed to start): either way it is past creation.
    private async Task WaitUntilCreatedAsync(string id, Task watcher, CancellationToken ct)
    {
        string stateFile = Path.Combine(_options.StateRoot, id, "state.json");
        var deadline = Stopwatch.StartNew();
        int delayMs = 1;
        while (!File.Exists(stateFile) && !watcher.IsCompleted)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
                throw new ContainerRuntimeException($"container {id} was not created within 30 s");
            await Task.Delay(delayMs, ct);
            delayMs = Math.Min(delayMs * 2, 4);
        }
    }

    public Task<ContainerResult> WaitAsync(string id, CancellationToken ct = default)
    {
        ContainerIds.ThrowIfNotOwn(id, _options.IdPrefix);
        if (_watchers.TryGetValue(id, out var watcher)) return watcher.WaitAsync(ct);
        var record = _state.GetContainer(id) ?? throw new ContainerRuntimeException($"no container {id}");
        if (record.IsActive)
            throw new ContainerRuntimeException($"container {id} is not watched by this agent; call RecoverAsync after a restart");
        return Task.FromResult(ResultFromRecord(record));
    }

    public async Task KillAsync(string id, CancellationToken ct = default)
    {
        ContainerIds.ThrowIfNotOwn(id, _options.IdPrefix);
        await _cli.KillAsync(id, ct); // a container that already stopped makes runc fail: nothing to do
    }

    public async Task DeleteAsync(string id, CancellationToken ct = default)
    {
        ContainerIds.ThrowIfNotOwn(id, _options.IdPrefix);
        if (_watchers.TryGetValue(id, out var watcher))
        {
            if (!watcher.IsCompleted) await _cli.KillAsync(id, ct);
            try { await watcher.WaitAsync(ct); } catch (Exception) when (!ct.IsCancellationRequested) { } // outcome already recorded
            _watchers.TryRemove(id, out _);
        }
        else
        {
            await _cli.DeleteForceAsync(id, ct);
            _cgroups.Remove(_options.CgroupParent, id, includeParent: false);
            _state.MarkFinished(id, ContainerState.Failed, null, false, false, "deleted without being watched");
        }
        string bundle = BundleOf(id);
        if (Directory.Exists(bundle)) Directory.Delete(bundle, recursive: true);
        RemoveCgroupParentIfIdle();
        _state.MarkDeleted(id);
    }

    public Task<IReadOnlyList<ContainerInfo>> ListAsync(CancellationToken ct = default)
    {
        return Task.FromResult(_state.ListContainerInfos(BackendName));
    }

    public IAsyncEnumerable<LogChunk> StreamLogsAsync(string id, CancellationToken ct = default)
    {
        ContainerIds.ThrowIfNotOwn(id, _options.IdPrefix);
        Task finished = _watchers.TryGetValue(id, out var w) ? w : Task.CompletedTask;
        string bundle = BundleOf(id);
        return LogFiles.TailAsync(Path.Combine(bundle, Shim.StdoutFile), Path.Combine(bundle, Shim.StderrFile),
            finished, _options.PollInterval, ct);
    }

    private void RemoveCgroupParentIfIdle()
    {
        lock (_cgroupGate)
            if (_liveCgroups == 0) _cgroups.Remove(_options.CgroupParent, null, includeParent: true);
    }

    public async ValueTask DisposeAsync()
    {
        // Containers keep running: their shims are independent, and the next agent re-attaches.
        _disposed.Cancel();
        try { await Task.WhenAll(_watchers.Values).WaitAsync(TimeSpan.FromSeconds(1)); }
        catch (Exception) { } // abandoned on purpose: they end with the cancellation
    }
}
