using ProviderAgent.Runtime.Runc;
using ProviderAgent.Tests.Support;

namespace ProviderAgent.Tests.Runtime;

/// <summary>v1 and v2 layouts on fake cgroup roots: these hosts are hybrid v1, so v2 is only testable this way.</summary>
public sealed class CgroupsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Write(string rel, string text)
    {
        string p = Path.Combine(_dir.Path, rel);
        Directory.CreateDirectory(Path.GetDirectoryName(p)!);
        File.WriteAllText(p, text);
        return p;
    }

    [Fact]
    public void V2_is_detected_and_oom_read_from_memory_events()
    {
        Write("cgroup.controllers", "cpu memory pids\n");
        Write("cm/a/memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
        Write("cm/b/memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n");
        var cg = new Cgroups(_dir.Path);
        Assert.Equal(CgroupVersion.V2, cg.Version);
        Assert.True(cg.WasOomKilled("/cm/a"));
        Assert.False(cg.WasOomKilled("/cm/b"));
    }

    [Fact]
    public void V1_reads_oom_kill_from_oom_control_and_falls_back_to_failcnt()
    {
        Write("memory/cm/a/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
        Write("memory/cm/b/memory.failcnt", "5\n"); // older kernels: no oom_kill line at all
        var cg = new Cgroups(_dir.Path);
        Assert.Equal(CgroupVersion.V1, cg.Version);
        Assert.True(cg.WasOomKilled("/cm/a"));
        Assert.True(cg.WasOomKilled("/cm/b"));
        Assert.False(cg.WasOomKilled("/cm/none"));
        Assert.False(cg.SwapLimitSupported);
    }

    [Fact]
    public void Removal_takes_the_leaf_then_an_empty_parent_in_every_hierarchy()
    {
        foreach (var h in new[] { "memory", "pids", "cpu" }) Directory.CreateDirectory(Path.Combine(_dir.Path, h, "cm", "id1"));
        Directory.CreateDirectory(Path.Combine(_dir.Path, "pids", "cm", "id2"));
        var cg = new Cgroups(_dir.Path);
        cg.Remove("cm", "id1", includeParent: true);
        // pids/cm still holds id2: the parent stays there, and only there.
        Assert.Equal([Path.Combine(_dir.Path, "pids", "cm")], cg.Leftovers("cm"));
        Assert.Empty(cg.Leftovers("cm", "id1"));
    }
}
