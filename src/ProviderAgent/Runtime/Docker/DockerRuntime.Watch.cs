using System.Diagnostics;
using System.Text.Json;
using ProviderAgent.State;

namespace ProviderAgent.Runtime.Docker;

public sealed partial class DockerRuntime
{
    /// <summary>
    /// Follows the logs (capped, never blocking: Docker buffers them itself) and the wait call;
    /// kills on the deadline; then reads State.ExitCode and State.OOMKilled and records them.
    /// </summary>
    private async Task<ContainerResult> WatchAsync(ContainerRecord record, long cap, Stopwatch? started)
    {
        var ct = _disposed.Token;
        string id = record.Id;
        var stdout = new CappedBuffer(cap);
        var stderr = new CappedBuffer(cap);
        var logs = Task.Run(async () =>
        {
            await using var s = await _docker.LogsAsync(id, follow: true, ct);
            await DockerStreamDemux.ReadAsync(s, (kind, data) => (kind == 2 ? stderr : stdout).Append(data.Span), ct);
        }, ct);
        var wait = _docker.WaitContainerAsync(id, ct);
        var remaining = record.Deadline - DateTimeOffset.UtcNow;
        bool timedOut = false;
        if (await Task.WhenAny(wait, Task.Delay(remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining, ct)) != wait)
        {
            ct.ThrowIfCancellationRequested();
            timedOut = true;
            await _docker.KillContainerAsync(id, ct);
        }
        long status;
        try { status = await wait; }
        catch (ContainerRuntimeException e)
        {
            state.MarkFinished(id, ContainerState.Failed, null, false, timedOut, e.Message);
            return new ContainerResult(id, null, false, timedOut, stdout.ToOutput(), stderr.ToOutput(), started?.Elapsed ?? TimeSpan.Zero, e.Message);
        }
        try { await logs.WaitAsync(TimeSpan.FromSeconds(5), ct); } catch (Exception) when (!ct.IsCancellationRequested) { }
        bool oom = false;
        string? error = null;
        using (var inspect = await _docker.InspectContainerAsync(id, ct))
        {
            if (inspect is not null && inspect.RootElement.TryGetProperty("State", out var st))
            {
                oom = st.TryGetProperty("OOMKilled", out var o) && o.ValueKind == JsonValueKind.True;
                if (st.TryGetProperty("Error", out var err) && err.GetString() is { Length: > 0 } msg) error = msg;
            }
        }
        int exit = (int)status;
        state.MarkFinished(id, error is null ? ContainerState.Exited : ContainerState.Failed, exit, oom, timedOut, error);
        return new ContainerResult(id, exit, oom, timedOut, stdout.ToOutput(), stderr.ToOutput(),
            started?.Elapsed ?? DateTimeOffset.UtcNow - record.CreatedAt, error);
    }

    public async Task<RecoveryReport> RecoverAsync(CancellationToken ct = default)
    {
        List<string> reattached = [], finished = [], failed = [], orphans = [];
        foreach (var record in state.ListContainers(BackendName, activeOnly: true))
        {
            if (_watchers.ContainsKey(record.Id)) continue;
            using var inspect = await _docker.InspectContainerAsync(record.Id, ct);
            if (inspect is null)
            {
                state.MarkFinished(record.Id, ContainerState.Failed, null, false, false, "vanished while the agent was away: unknown to the Docker daemon");
                failed.Add(record.Id);
                continue;
            }
            bool running = inspect.RootElement.GetProperty("State").GetProperty("Running").GetBoolean();
            _watchers[record.Id] = Task.Run(() => WatchAsync(record, 1 << 20, null), CancellationToken.None);
            (running ? reattached : finished).Add(record.Id);
        }
        foreach (var name in await _docker.ListContainerNamesAsync(options.Label, ct))
        {
            if (!ContainerIds.IsOwn(name, options.IdPrefix) || _watchers.ContainsKey(name)) continue;
            var known = state.GetContainer(name);
            if (known is not null && known.State is not ContainerState.Deleted) continue;
            await _docker.RemoveContainerAsync(name, ct);
            orphans.Add(name);
        }
        return new RecoveryReport(reattached, finished, failed, orphans);
    }
}
