namespace ProviderAgent.Runtime;

/// <summary>Captured output of one stream: its head, up to the cap, and whether the rest was dropped.</summary>
public sealed record CapturedOutput(string Text, bool Truncated)
{
    public static readonly CapturedOutput Empty = new("", false);
}

/// <summary>How a container ended. ExitCode is null when it is unknown (never started, or lost).</summary>
public sealed record ContainerResult(
    string Id,
    int? ExitCode,
    bool OomKilled,
    bool TimedOut,
    CapturedOutput Stdout,
    CapturedOutput Stderr,
    TimeSpan Duration,
    string? Error = null)
{
    /// <summary>True when the job ran to completion with exit code 0 and nothing intervened.</summary>
    public bool Succeeded => ExitCode == 0 && !OomKilled && !TimedOut && Error is null;
}

public enum ContainerStatus { Starting, Running, Exited, Failed }

/// <summary>A container the runtime owns, as listed by <see cref="IContainerRuntime.ListAsync"/>.</summary>
public sealed record ContainerInfo(string Id, ContainerStatus Status, string ImageDigest, string? LeaseId, DateTimeOffset CreatedAt);

/// <summary>A chunk of log output; Stream is "stdout" or "stderr".</summary>
public readonly record struct LogChunk(string Stream, string Text);

/// <summary>What <see cref="IContainerRuntime.RecoverAsync"/> did with the containers a previous agent left.</summary>
public sealed record RecoveryReport(
    IReadOnlyList<string> Reattached,
    IReadOnlyList<string> FinishedWhileAway,
    IReadOnlyList<string> Failed,
    IReadOnlyList<string> OrphansRemoved);
