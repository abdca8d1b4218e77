namespace ProviderAgent.State;

/// <summary>Lifecycle of a container as the agent records it; the states a restart must resolve are Starting and Running.</summary>
public enum ContainerState { Starting, Running, Exited, Failed, Deleted }

/// <summary>One row of the containers table: enough to find, re-attach to, time out and clean up a container after a restart.</summary>
public sealed record ContainerRecord(
    string Id,
    string Backend,
    string ImageDigest,
    string? LeaseId,
    string BundlePath,
    ContainerState State,
    int? ShimPid,
    DateTimeOffset CreatedAt,
    DateTimeOffset Deadline,
    DateTimeOffset? FinishedAt = null,
    int? ExitCode = null,
    bool OomKilled = false,
    bool TimedOut = false,
    string? Error = null)
{
    public bool IsActive => State is ContainerState.Starting or ContainerState.Running;
}

/// <summary>A lease the agent is serving; the daemon (chain/market half) fills it in.</summary>
public sealed record LeaseRecord(string LeaseId, string Status, string? ContainerId, string? JobSpecHash, DateTimeOffset UpdatedAt);
