namespace ProviderAgent.Runtime.Runc;

/// <summary>Where the runc backend keeps its things and what the provider allows.</summary>
public sealed record RuncOptions
{
    /// <summary>Bundles (config.json, logs, exit code) live in &lt;DataDirectory&gt;/containers/&lt;id&gt;.</summary>
    public required string DataDirectory { get; init; }

    public string RuncPath { get; init; } = "runc";

    /// <summary>runc's state root. Our own, not /run/runc, so `runc list` shows only our containers; tmpfs so a reboot clears it.</summary>
    public string StateRoot { get; init; } = "/run/compute-market/runc";

    /// <summary>Parent of every container's cgroup: /sys/fs/cgroup/&lt;controller&gt;/&lt;CgroupParent&gt;/&lt;id&gt; on v1.</summary>
    public string CgroupParent { get; init; } = "compute-market";

    public string IdPrefix { get; init; } = ContainerIds.DefaultPrefix;

    /// <summary>
    /// Whether a job that asks for network gets it. Off by default; when on, the container shares
    /// the host's network namespace (no bridge, no NAT: these hosts run no CNI), so the provider
    /// should only allow it on a host whose network the jobs may see.
    /// </summary>
    public bool AllowNetwork { get; init; }

    /// <summary>How often a re-attached container (one without a shim child) is polled.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);
}
