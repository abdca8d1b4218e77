using ProviderAgent.Runtime;
using ProviderAgent.Tests.Support;

namespace ProviderAgent.Tests.Runtime;

[Collection(RuncCollection.Name)]
public sealed class RuncBasicsTests(RuncFixture fx)
{
    [Fact]
    public async Task Exit_code_and_both_streams_are_captured()
    {
        await using var rt = fx.NewRuntime();
        var r = await rt.RunAsync(fx.Spec("sh", "-c", "echo out; echo err >&2; exit 42"));
        Assert.Equal(42, r.ExitCode);
        Assert.Equal("out\n", r.Stdout.Text);
        Assert.Equal("err\n", r.Stderr.Text);
        Assert.False(r.OomKilled);
        Assert.False(r.TimedOut);
        Assert.Null(r.Error);
        Assert.Empty(fx.Leftovers(r.Id));
    }

    [Fact]
    public async Task Runs_as_nobody_with_no_capabilities()
    {
        await using var rt = fx.NewRuntime();
        var r = await rt.RunAsync(fx.Spec("sh", "-c", "id -u; id -g; grep CapEff /proc/self/status"));
        Assert.Equal(0, r.ExitCode);
        var lines = r.Stdout.Text.Split('\n');
        Assert.Equal("65534", lines[0]);
        Assert.Equal("65534", lines[1]);
        Assert.Contains("0000000000000000", lines[2]);
    }

    [Fact]
    public async Task Root_is_read_only_and_tmp_is_writable()
    {
        await using var rt = fx.NewRuntime();
        var r = await rt.RunAsync(fx.Spec("sh", "-c", "touch /x; echo rc=$?; echo hi > /tmp/y && cat /tmp/y"));
        Assert.Contains("rc=1", r.Stdout.Text);
        Assert.Contains("Read-only file system", r.Stderr.Text);
        Assert.Contains("hi", r.Stdout.Text);
    }

    [Fact]
    public async Task Has_no_network_but_loopback()
    {
        await using var rt = fx.NewRuntime();
        var r = await rt.RunAsync(fx.Spec("sh", "-c", "cat /proc/net/dev; ip link"));
        Assert.Equal(0, r.ExitCode);
        var devices = r.Stdout.Text.Split('\n').Where(l => l.Contains(':') && !l.Contains('|') && !l.Contains("link/"))
            .Select(l => l.Split(':')[0].Trim()).Where(d => d.Length > 0 && !char.IsDigit(d[0])).Distinct().ToList();
        Assert.Equal(["lo"], devices);
        Assert.DoesNotContain("eth", r.Stdout.Text);
    }

    [Fact]
    public async Task Network_is_refused_unless_the_provider_allows_it()
    {
        await using var rt = fx.NewRuntime(allowNetwork: false);
        var e = await Assert.ThrowsAsync<ContainerRuntimeException>(() => rt.StartAsync(fx.Spec("true") with { Network = true }));
        Assert.Contains("does not allow", e.Message);
    }

    [Fact]
    public async Task Environment_merges_image_and_job_variables()
    {
        await using var rt = fx.NewRuntime();
        var r = await rt.RunAsync(fx.Spec("sh", "-c", "echo $IMAGE_VAR $JOB_VAR; pwd") with { Env = ["JOB_VAR=from-job"], WorkingDir = "/tmp" });
        Assert.Equal("from-image from-job\n/tmp\n", r.Stdout.Text);
    }

    [Fact]
    public async Task A_missing_command_fails_with_runc_error()
    {
        await using var rt = fx.NewRuntime();
        var r = await rt.RunAsync(fx.Spec("/no/such/program"));
        Assert.NotEqual(0, r.ExitCode);
        Assert.NotNull(r.Error);
        Assert.False(r.Succeeded);
        Assert.Empty(fx.Leftovers(r.Id));
    }

    [Fact]
    public async Task Lists_own_containers_and_refuses_foreign_ids()
    {
        await using var rt = fx.NewRuntime();
        string id = await rt.StartAsync(fx.Spec("sleep", "5"));
        Assert.StartsWith("cm-", id);
        Assert.Contains(await rt.ListAsync(), c => c.Id == id && c.Status == ContainerStatus.Running);
        await Assert.ThrowsAsync<ArgumentException>(() => rt.KillAsync("someone-else"));
        await rt.KillAsync(id);
        var r = await rt.WaitAsync(id);
        Assert.Equal(137, r.ExitCode);
        await rt.DeleteAsync(id);
        Assert.DoesNotContain(await rt.ListAsync(), c => c.Id == id);
        Assert.Empty(fx.Leftovers(id));
    }
}
