using ProviderAgent.Tests.Support;

namespace ProviderAgent.Tests;

public sealed class CliTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Help_lists_every_command()
    {
        var (exit, stdout, _) = await AgentCli.RunAsync("--help");
        Assert.Equal(0, exit);
        foreach (var c in new[] { "probe", "bench", "image", "run-container", "containers", "idle", "--data-dir" })
            Assert.Contains(c, stdout);
        Assert.DoesNotContain("bench-start", stdout); // a benchmark helper, hidden
        var (_, runHelp, _) = await AgentCli.RunAsync("run-container", "--help");
        foreach (var o in new[] { "--image", "--memory-mib", "--cpus", "--pids", "--timeout", "--network", "--runtime" })
            Assert.Contains(o, runHelp);
    }

    [Fact]
    public async Task Image_import_and_list_work_from_the_command_line()
    {
        string tar = _dir.File("bb.tar");
        TestImages.WriteOci(tar, [TestImages.BusyboxLayer]);
        var (exit, stdout, stderr) = await AgentCli.RunAsync("--data-dir", _dir.File("data"), "image", "import", tar, "--name", "cli/busybox:1");
        Assert.True(exit == 0, stderr);
        Assert.Contains("imported sha256:", stdout);
        var (_, list, _) = await AgentCli.RunAsync("--data-dir", _dir.File("data"), "image", "list");
        Assert.Contains("cli/busybox:1", list);
    }

    [Fact]
    public async Task A_bad_archive_gives_a_one_line_error_not_a_stack_trace()
    {
        string bad = _dir.File("bad.tar");
        await File.WriteAllTextAsync(bad, "definitely not a tarball, but long enough to be read as one ..........");
        var (exit, _, stderr) = await AgentCli.RunAsync("--data-dir", _dir.File("data"), "image", "import", bad);
        Assert.Equal(1, exit);
        Assert.StartsWith("error: ", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task Probe_prints_the_machine_facts()
    {
        var (exit, stdout, _) = await AgentCli.RunAsync("--data-dir", _dir.File("data"), "probe");
        Assert.Equal(0, exit);
        Assert.Contains("logical cores", stdout);
        Assert.Contains("SIMD", stdout);
    }
}
