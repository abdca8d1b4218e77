using System.Text.Json.Nodes;

namespace ProviderAgent.Runtime.Docker;

/// <summary>The /containers/create body: the same isolation the runc backend writes into config.json.</summary>
internal static class DockerContainerBody
{
    public static JsonObject Build(ContainerSpec spec, string image, string label, bool grantNetwork)
    {
        var limits = spec.EffectiveLimits;
        var labels = new JsonObject { [label] = "1" };
        if (spec.LeaseId is not null) labels["compute-market.lease"] = spec.LeaseId;
        return new JsonObject
        {
            ["Image"] = image,
            // An imported rootfs has no Entrypoint; clearing it keeps Cmd the whole command line.
            ["Entrypoint"] = new JsonArray(),
            ["Cmd"] = Strings(spec.EffectiveArgs()),
            ["Env"] = Strings(spec.EffectiveEnv()),
            ["WorkingDir"] = spec.EffectiveWorkingDir(),
            ["User"] = "65534:65534",
            ["Tty"] = false,
            ["AttachStdout"] = false,
            ["AttachStderr"] = false,
            ["NetworkDisabled"] = !grantNetwork,
            ["Labels"] = labels,
            ["HostConfig"] = new JsonObject
            {
                ["Memory"] = limits.MemoryBytes,
                ["MemorySwap"] = limits.MemoryBytes, // memory+swap = memory: no swap
                ["NanoCpus"] = (long)Math.Round(limits.Cpus * 1e9),
                ["PidsLimit"] = limits.Pids,
                ["ReadonlyRootfs"] = true,
                ["NetworkMode"] = grantNetwork ? "bridge" : "none",
                ["Tmpfs"] = new JsonObject { ["/tmp"] = $"rw,nosuid,nodev,size={Math.Max(1, limits.TmpfsBytes / 1024)}k,mode=1777" },
                ["CapDrop"] = new JsonArray("ALL"),
                ["SecurityOpt"] = new JsonArray("no-new-privileges"),
                ["Ulimits"] = new JsonArray(new JsonObject { ["Name"] = "nofile", ["Soft"] = limits.OpenFiles, ["Hard"] = limits.OpenFiles }),
                // json-file logs grow without bound by default; the agent keeps only the head anyway.
                ["LogConfig"] = new JsonObject
                {
                    ["Type"] = "json-file",
                    ["Config"] = new JsonObject { ["max-size"] = $"{Math.Max(1, spec.LogCapBytes * 4 / 1024)}k", ["max-file"] = "1" },
                },
            },
        };
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());
}
