using ProviderAgent.State;

namespace ProviderAgent.Runtime.Runc;

public sealed partial class RuncRuntime
{
    /// <summary>
    /// Resolves every container a previous agent recorded as starting or running — none is ever
    /// forgotten: finished ones are collected, live ones re-attached (with their original
    /// deadline), vanished ones marked failed. Containers in our runc root that the database does
    /// not know are killed and removed.
    /// </summary>
    public async Task<RecoveryReport> RecoverAsync(CancellationToken ct = default)
    {
        await _registration.WaitAsync(ct);
        try { return await RecoverLockedAsync(ct); }
        finally { _registration.Release(); }
    }

    private async Task<RecoveryReport> RecoverLockedAsync(CancellationToken ct)
    {
        List<string> reattached = [], finished = [], failed = [], orphans = [];
        foreach (var record in _state.ListContainers(BackendName, activeOnly: true))
        {
            if (_watchers.ContainsKey(record.Id)) continue; // ours already
            bool hasExit = File.Exists(Path.Combine(BundleOf(record.Id), Shim.ExitFile));
            string? status = hasExit ? null : await _cli.StatusAsync(record.Id, ct);
            if (hasExit || status is "created" or "running" or "paused" || ShimAlive(record))
            {
                lock (_cgroupGate) _liveCgroups++;
                _watchers[record.Id] = Task.Run(() => WatchAsync(record, null, null), CancellationToken.None);
                (hasExit ? finished : reattached).Add(record.Id);
                continue;
            }
            // No exit code, no runc state, no shim: the container is gone (reboot, manual delete).
            await _cli.DeleteForceAsync(record.Id, ct);
            _cgroups.Remove(_options.CgroupParent, record.Id, includeParent: false);
            _state.MarkFinished(record.Id, ContainerState.Failed, null, false, false,
                status is null ? "vanished while the agent was away: no runc state and no exit code"
                               : $"found {status} without an exit code after an agent restart");
            failed.Add(record.Id);
        }
        foreach (var id in await _cli.ListIdsAsync(ct))
        {
            if (!ContainerIds.IsOwn(id, _options.IdPrefix)) continue;
            var known = _state.GetContainer(id);
            if (known is not null && known.State != ContainerState.Deleted && _watchers.ContainsKey(id)) continue;
            await _cli.KillAsync(id, ct);
            await _cli.DeleteForceAsync(id, ct);
            _cgroups.Remove(_options.CgroupParent, id, includeParent: false);
            orphans.Add(id);
        }
        RemoveCgroupParentIfIdle();
        return new RecoveryReport(reattached, finished, failed, orphans);
    }
}
