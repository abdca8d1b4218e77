using System.Diagnostics;
using System.Text.Json;
using ProviderAgent.State;

namespace ProviderAgent.Runtime.Runc;

public sealed partial class RuncRuntime
{
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Follows one container to its end: waits for the shim (our child) or, after a restart, polls
    /// for the exit file; kills on the deadline; then reads the OOM evidence from the cgroup that
    /// `run --keep` preserved, deletes the container and its cgroup folders, and records the result.
    /// Cancelled only by disposing the runtime, in which case nothing is recorded: the container
    /// keeps running and the next agent re-attaches.
    /// </summary>
    private async Task<ContainerResult> WatchAsync(ContainerRecord record, Process? shim, Stopwatch? started)
    {
        var ct = _disposed.Token;
        string id = record.Id, bundle = BundleOf(id);
        Task exited = shim is not null ? shim.WaitForExitAsync(ct) : PollForExitAsync(record, ct);
        bool timedOut = false;
        var remaining = record.Deadline - DateTimeOffset.UtcNow;
        if (remaining < TimeSpan.Zero) remaining = TimeSpan.Zero;
        if (await Task.WhenAny(exited, Task.Delay(remaining, ct)) != exited)
        {
            ct.ThrowIfCancellationRequested();
            timedOut = true;
            await _cli.KillAsync(id, ct);
            if (await Task.WhenAny(exited, Task.Delay(KillGrace, ct)) != exited)
            {
                // runc run itself is stuck: force the container away; the shim then returns.
                await _cli.DeleteForceAsync(id, ct);
                await exited.WaitAsync(KillGrace, ct);
            }
        }
        await exited;
        shim?.Dispose();

        int? exitCode = ReadExitCode(bundle);
        bool oom = exitCode == 137 && _cgroups.WasOomKilled(CgroupsPath(id));
        string? error = exitCode is null ? "the container's shim ended without an exit code" : RuncError(bundle);
        await _cli.DeleteForceAsync(id, CancellationToken.None);
        _cgroups.Remove(_options.CgroupParent, id, includeParent: false);
        lock (_cgroupGate) _liveCgroups--;
        RemoveCgroupParentIfIdle();

        var state = error is null ? ContainerState.Exited : ContainerState.Failed;
        _state.MarkFinished(id, state, exitCode, oom, timedOut, error);
        var duration = started?.Elapsed ?? DateTimeOffset.UtcNow - record.CreatedAt;
        return new ContainerResult(id, exitCode, oom, timedOut,
            LogFiles.Read(Path.Combine(bundle, Shim.StdoutFile), Shim.TruncationMarker),
            LogFiles.Read(Path.Combine(bundle, Shim.StderrFile), Shim.TruncationMarker), duration, error);
    }

    /// <summary>For a re-attached container: the shim is not our child, so poll for its exit file.</summary>
    private async Task PollForExitAsync(ContainerRecord record, CancellationToken ct)
    {
        string exitFile = Path.Combine(BundleOf(record.Id), Shim.ExitFile);
        while (!File.Exists(exitFile))
        {
            if (!ShimAlive(record))
            {
                // The shim is gone without writing the exit code (killed). The container may
                // still run: wait for it to stop so its cgroup can be cleaned, code unknown.
                var status = await _cli.StatusAsync(record.Id, ct);
                if (status is null or "stopped") return;
            }
            await Task.Delay(_options.PollInterval, ct);
        }
    }

    private static bool ShimAlive(ContainerRecord record)
    {
        if (record.ShimPid is not int pid) return false;
        try
        {
            // Checking the command line guards against a recycled pid.
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            return cmdline.Contains(record.Id, StringComparison.Ordinal);
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    private static int? ReadExitCode(string bundle)
    {
        try { return int.TryParse(File.ReadAllText(Path.Combine(bundle, Shim.ExitFile)).Trim(), out var c) ? c : null; }
        catch (IOException) { return null; }
    }

    /// <summary>The first error runc logged (e.g. the job's command does not exist), or null.</summary>
    private static string? RuncError(string bundle)
    {
        string path = Path.Combine(bundle, Shim.RuncLog);
        if (!File.Exists(path)) return null;
        foreach (var line in File.ReadLines(path))
        {
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.TryGetProperty("level", out var level) && level.GetString() is "error" or "fatal")
                    return "runc: " + (doc.RootElement.TryGetProperty("msg", out var msg) ? msg.GetString() : line);
            }
            catch (JsonException) { }
        }
        return null;
    }

    private ContainerResult ResultFromRecord(ContainerRecord r)
    {
        string bundle = BundleOf(r.Id);
        var duration = (r.FinishedAt ?? DateTimeOffset.UtcNow) - r.CreatedAt;
        return new ContainerResult(r.Id, r.ExitCode, r.OomKilled, r.TimedOut,
            LogFiles.Read(Path.Combine(bundle, Shim.StdoutFile), Shim.TruncationMarker),
            LogFiles.Read(Path.Combine(bundle, Shim.StderrFile), Shim.TruncationMarker), duration, r.Error);
    }
}
