using ProviderAgent.Images;

namespace ProviderAgent.Runtime;

/// <summary>Resource limits of one container. Defaults are deliberately small: a job asks for more.</summary>
public sealed record ContainerLimits(
    long MemoryBytes = 256L << 20,
    double Cpus = 1.0,
    int Pids = 256,
    long TmpfsBytes = 64L << 20,
    int OpenFiles = 1024)
{
    public static readonly ContainerLimits Default = new();

    /// <summary>Throws when a limit is out of range; the runtime never starts an unlimited container.</summary>
    public void Validate()
    {
        if (MemoryBytes < 4L << 20) throw new ArgumentOutOfRangeException(nameof(MemoryBytes), "memory limit must be at least 4 MiB");
        if (Cpus <= 0 || Cpus > Environment.ProcessorCount * 4) throw new ArgumentOutOfRangeException(nameof(Cpus), "cpus must be positive and plausible");
        if (Pids < 1) throw new ArgumentOutOfRangeException(nameof(Pids), "pids limit must be at least 1");
        if (TmpfsBytes < 1L << 20) throw new ArgumentOutOfRangeException(nameof(TmpfsBytes), "tmpfs must be at least 1 MiB");
        // The hosts' hard NOFILE limit is 20000 (HOST-NOTES); runc fails to start above it.
        if (OpenFiles < 16 || OpenFiles > 20000) throw new ArgumentOutOfRangeException(nameof(OpenFiles), "open-files limit must be within 16..20000");
    }
}

/// <summary>
/// What to run. Args, Env and WorkingDir fall back to the image config when null/empty, as
/// `docker run` does. Network is a request: the runtime grants it only if its options allow.
/// </summary>
public sealed record ContainerSpec(
    ImageRecord Image,
    IReadOnlyList<string>? Args = null,
    IReadOnlyList<string>? Env = null,
    string? WorkingDir = null,
    ContainerLimits? Limits = null,
    TimeSpan? Timeout = null,
    bool Network = false,
    string? LeaseId = null,
    long LogCapBytes = 1L << 20)
{
    public ContainerLimits EffectiveLimits => Limits ?? ContainerLimits.Default;
    public TimeSpan EffectiveTimeout => Timeout ?? TimeSpan.FromHours(1);

    public IReadOnlyList<string> EffectiveArgs()
    {
        var args = Args is { Count: > 0 } ? Image.Config.Entrypoint.Concat(Args).ToList()
            : Image.Config.Entrypoint.Concat(Image.Config.Cmd).ToList();
        if (args.Count == 0) throw new ArgumentException("no command given and the image has no Entrypoint/Cmd");
        return args;
    }

    public IReadOnlyList<string> EffectiveEnv()
    {
        var env = new List<string> { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/tmp" };
        env.AddRange(Image.Config.Env);
        if (Env is not null) env.AddRange(Env);
        return env; // later entries win in execve's environment as in Docker's merge order
    }

    public string EffectiveWorkingDir() =>
        !string.IsNullOrEmpty(WorkingDir) ? WorkingDir : !string.IsNullOrEmpty(Image.Config.WorkingDir) ? Image.Config.WorkingDir : "/";
}
