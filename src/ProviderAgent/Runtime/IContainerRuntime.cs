namespace ProviderAgent.Runtime;

/// <summary>
/// Runs job containers with isolation and limits (DESIGN §7). A runtime touches only containers it
/// created: ids carry its prefix and it keeps its own state (runc root, Docker label).
/// Every started container is watched from the moment it starts: the timeout is enforced and the
/// outcome recorded in the State database even when nobody awaits <see cref="WaitAsync"/>.
/// </summary>
public interface IContainerRuntime : IAsyncDisposable
{
    /// <summary>"runc" or "docker".</summary>
    string Name { get; }

    /// <summary>Creates and starts a container; returns its id once it exists.</summary>
    Task<string> StartAsync(ContainerSpec spec, CancellationToken ct = default);

    /// <summary>Waits for the container to end (or its timeout to kill it) and returns the outcome.</summary>
    Task<ContainerResult> WaitAsync(string id, CancellationToken ct = default);

    /// <summary>Kills the container with SIGKILL. The outcome is still recorded and returned by WaitAsync.</summary>
    Task KillAsync(string id, CancellationToken ct = default);

    /// <summary>Removes the container and everything it left (bundle, logs, cgroups). Kills it first if running.</summary>
    Task DeleteAsync(string id, CancellationToken ct = default);

    /// <summary>This runtime's containers that are not deleted.</summary>
    Task<IReadOnlyList<ContainerInfo>> ListAsync(CancellationToken ct = default);

    /// <summary>Streams stdout and stderr (each capped) as they are produced, until the container ends.</summary>
    IAsyncEnumerable<LogChunk> StreamLogsAsync(string id, CancellationToken ct = default);

    /// <summary>
    /// After a restart: re-attaches to containers the State database says are running, records
    /// those that finished meanwhile, marks vanished ones failed and removes unknown ones.
    /// </summary>
    Task<RecoveryReport> RecoverAsync(CancellationToken ct = default);
}

public static class ContainerRuntimeExtensions
{
    /// <summary>Start, wait, delete: one job container from start to clean-up.</summary>
    public static async Task<ContainerResult> RunAsync(this IContainerRuntime runtime, ContainerSpec spec, CancellationToken ct = default)
    {
        string id = await runtime.StartAsync(spec, ct);
        try { return await runtime.WaitAsync(id, ct); }
        finally { await runtime.DeleteAsync(id, CancellationToken.None); }
    }
}
