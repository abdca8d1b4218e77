namespace ProviderAgent.Images;

/// <summary>The parts of an image config the runtime needs (OCI image-spec "config" object).</summary>
public sealed record ImageConfig(
    IReadOnlyList<string> Env,
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string> Cmd,
    string WorkingDir,
    string User)
{
    public static readonly ImageConfig Empty = new([], [], [], "", "");
}

/// <summary>An image in the local store: its content digest (the config's sha256, as Docker's image ID), names and unpacked rootfs.</summary>
public sealed record ImageRecord(
    string Digest,
    IReadOnlyList<string> Names,
    ImageConfig Config,
    string RootfsPath,
    int LayerCount,
    long SizeBytes,
    string Format,
    DateTimeOffset ImportedAt)
{
    public string ShortId => Digest["sha256:".Length..][..12];
}

/// <summary>Limits on what an import may unpack; archives over them are refused, never truncated.</summary>
public sealed record ImportLimits(
    long MaxArchiveBytes = 4L << 30,
    long MaxUnpackedBytes = 8L << 30,
    int MaxEntries = 500_000)
{
    public static readonly ImportLimits Default = new();
}
