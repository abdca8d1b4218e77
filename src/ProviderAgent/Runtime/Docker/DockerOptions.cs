namespace ProviderAgent.Runtime.Docker;

public sealed record DockerOptions
{
    /// <summary>The Engine API socket, e.g. /run/docker.sock.</summary>
    public required string SocketPath { get; init; }

    /// <summary>Scratch space for the rootfs tar handed to the image import.</summary>
    public required string DataDirectory { get; init; }

    public string IdPrefix { get; init; } = ContainerIds.DefaultPrefix;

    /// <summary>Label put on every container the agent creates; listing and orphan removal match on it.</summary>
    public string Label { get; init; } = "compute-market.agent";

    /// <summary>Repository our images are imported under; the tag is the image digest's first 12 hex digits.</summary>
    public string ImageRepository { get; init; } = "localhost/compute-market";

    /// <summary>Whether a job that asks for network gets Docker's default bridge.</summary>
    public bool AllowNetwork { get; init; }
}
