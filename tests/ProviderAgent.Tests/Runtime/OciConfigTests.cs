using System.Text.Json.Nodes;
using ProviderAgent.Images;
using ProviderAgent.Runtime;
using ProviderAgent.Runtime.Runc;

namespace ProviderAgent.Tests.Runtime;

public sealed class OciConfigTests
{
    private static readonly ImageRecord Image = new("sha256:" + new string('a', 64), [], ImageConfig.Empty with { Cmd = ["sh"] },
        "/images/x/rootfs", 1, 1, "oci", DateTimeOffset.UnixEpoch);

    private static JsonNode Build(bool network = false, bool swap = true) => OciConfig.Build(
        new ContainerSpec(Image, ["echo", "hi"], Limits: new ContainerLimits(MemoryBytes: 64L << 20, Cpus: 0.5, Pids: 32, TmpfsBytes: 16L << 20, OpenFiles: 2048)),
        Image.RootfsPath, "/compute-market/cm-1", network, swap);

    [Fact]
    public void Process_runs_unprivileged()
    {
        var p = Build()["process"]!;
        Assert.False(p["terminal"]!.GetValue<bool>());
        Assert.Equal(65534, p["user"]!["uid"]!.GetValue<int>());
        Assert.Equal(65534, p["user"]!["gid"]!.GetValue<int>());
        Assert.True(p["noNewPrivileges"]!.GetValue<bool>());
        foreach (var set in new[] { "bounding", "effective", "inheritable", "permitted", "ambient" })
            Assert.Empty(p["capabilities"]![set]!.AsArray());
        var nofile = p["rlimits"]!.AsArray().Single(r => r!["type"]!.GetValue<string>() == "RLIMIT_NOFILE")!;
        Assert.Equal(2048, nofile["hard"]!.GetValue<int>());
        Assert.Equal(["echo", "hi"], p["args"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public void Root_is_read_only_and_tmp_is_a_capped_tmpfs()
    {
        var c = Build();
        Assert.True(c["root"]!["readonly"]!.GetValue<bool>());
        var tmp = c["mounts"]!.AsArray().Single(m => m!["destination"]!.GetValue<string>() == "/tmp")!;
        Assert.Equal("tmpfs", tmp["type"]!.GetValue<string>());
        Assert.Contains("size=16384k", tmp["options"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.Contains("/proc/kcore", c["linux"]!["maskedPaths"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.Contains("/proc/sys", c["linux"]!["readonlyPaths"]!.AsArray().Select(o => o!.GetValue<string>()));
    }

    [Fact]
    public void Limits_go_to_the_agents_cgroup()
    {
        var linux = Build()["linux"]!;
        Assert.Equal("/compute-market/cm-1", linux["cgroupsPath"]!.GetValue<string>());
        var res = linux["resources"]!;
        Assert.Equal(64L << 20, res["memory"]!["limit"]!.GetValue<long>());
        Assert.Equal(64L << 20, res["memory"]!["swap"]!.GetValue<long>());
        Assert.Equal(50_000, res["cpu"]!["quota"]!.GetValue<long>());
        Assert.Equal(100_000, res["cpu"]!["period"]!.GetValue<long>());
        Assert.Equal(32, res["pids"]!["limit"]!.GetValue<int>());
        Assert.Null(Build(swap: false)["linux"]!["resources"]!["memory"]!["swap"]);
    }

    [Fact]
    public void Network_namespace_unless_network_is_granted()
    {
        static IEnumerable<string> Ns(JsonNode c) => c["linux"]!["namespaces"]!.AsArray().Select(n => n!["type"]!.GetValue<string>());
        Assert.Contains("network", Ns(Build()));
        Assert.DoesNotContain("network", Ns(Build(network: true)));
        Assert.Contains("pid", Ns(Build(network: true)));
    }

    [Theory]
    [InlineData(1L << 20, 1.0, 10, 1L << 20, 1024)]
    [InlineData(64L << 20, 0, 10, 1L << 20, 1024)]
    [InlineData(64L << 20, 1.0, 0, 1L << 20, 1024)]
    [InlineData(64L << 20, 1.0, 10, 1L << 20, 20001)]
    public void Out_of_range_limits_are_refused(long memory, double cpus, int pids, long tmpfs, int files) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ContainerLimits(memory, cpus, pids, tmpfs, files).Validate());
}
