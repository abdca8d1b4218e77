using System.Text.Json.Nodes;

namespace ProviderAgent.Runtime.Runc;

/// <summary>
/// Builds an OCI runtime-spec config.json in code (not from `runc spec`), so every isolation
/// setting is visible here and reviewed: non-root, no capabilities, no new privileges, read-only
/// root, a size-capped tmpfs /tmp, no network unless granted, masked /proc paths, and the
/// memory / CPU / pids limits under a cgroupsPath the agent owns.
/// </summary>
internal static class OciConfig
{
    public const int NobodyUid = 65534, NobodyGid = 65534;
    private const long CpuPeriodUs = 100_000;

    // runc's `spec` defaults: paths that leak host information or allow host changes.
    private static readonly string[] MaskedPaths =
    [
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ];
    private static readonly string[] ReadonlyPaths =
        ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    public static JsonObject Build(ContainerSpec spec, string rootfs, string cgroupsPath, bool grantNetwork, bool swapLimit)
    {
        var limits = spec.EffectiveLimits;
        var namespaces = new JsonArray(Ns("pid"), Ns("ipc"), Ns("uts"), Ns("mount"));
        // A new network namespace has only a loopback device. Without one, the container shares
        // the host's namespace: that is what "network allowed" means on hosts without a bridge.
        if (!grantNetwork) namespaces.Add(Ns("network"));
        var memory = new JsonObject { ["limit"] = limits.MemoryBytes };
        if (swapLimit) memory["swap"] = limits.MemoryBytes; // memory+swap = memory: no swap at all
        return new JsonObject
        {
            ["ociVersion"] = "1.0.2",
            ["process"] = new JsonObject
            {
                ["terminal"] = false,
                ["user"] = new JsonObject { ["uid"] = NobodyUid, ["gid"] = NobodyGid, ["additionalGids"] = new JsonArray(NobodyGid) },
                ["args"] = Strings(spec.EffectiveArgs()),
                ["env"] = Strings(spec.EffectiveEnv()),
                ["cwd"] = spec.EffectiveWorkingDir(),
                ["capabilities"] = new JsonObject
                {
                    ["bounding"] = new JsonArray(), ["effective"] = new JsonArray(), ["inheritable"] = new JsonArray(),
                    ["permitted"] = new JsonArray(), ["ambient"] = new JsonArray(),
                },
                ["rlimits"] = new JsonArray(new JsonObject { ["type"] = "RLIMIT_NOFILE", ["hard"] = limits.OpenFiles, ["soft"] = limits.OpenFiles }),
                ["noNewPrivileges"] = true,
            },
            ["root"] = new JsonObject { ["path"] = rootfs, ["readonly"] = true },
            ["hostname"] = "job",
            ["mounts"] = Mounts(limits.TmpfsBytes),
            ["linux"] = new JsonObject
            {
                ["cgroupsPath"] = cgroupsPath,
                ["resources"] = new JsonObject
                {
                    ["devices"] = new JsonArray(new JsonObject { ["allow"] = false, ["access"] = "rwm" }),
                    ["memory"] = memory,
                    ["cpu"] = new JsonObject { ["quota"] = (long)Math.Round(limits.Cpus * CpuPeriodUs), ["period"] = CpuPeriodUs },
                    ["pids"] = new JsonObject { ["limit"] = limits.Pids },
                },
                ["namespaces"] = namespaces,
                ["maskedPaths"] = Strings(MaskedPaths),
                ["readonlyPaths"] = Strings(ReadonlyPaths),
            },
        };
    }

    private static JsonArray Mounts(long tmpfsBytes) =>
    [
        Mount("/proc", "proc", "proc", []),
        Mount("/dev", "tmpfs", "tmpfs", ["nosuid", "strictatime", "mode=755", "size=65536k"]),
        Mount("/dev/pts", "devpts", "devpts", ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]),
        Mount("/dev/shm", "tmpfs", "shm", ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]),
        Mount("/dev/mqueue", "mqueue", "mqueue", ["nosuid", "noexec", "nodev"]),
        Mount("/sys", "sysfs", "sysfs", ["nosuid", "noexec", "nodev", "ro"]),
        Mount("/tmp", "tmpfs", "tmpfs", ["nosuid", "nodev", "mode=1777", $"size={Math.Max(1, tmpfsBytes / 1024)}k"]),
    ];

    private static JsonObject Mount(string destination, string type, string source, string[] options) => new()
    {
        ["destination"] = destination, ["type"] = type, ["source"] = source, ["options"] = Strings(options),
    };

    private static JsonObject Ns(string type) => new() { ["type"] = type };

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());
}
