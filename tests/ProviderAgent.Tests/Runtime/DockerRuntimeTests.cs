using System.Buffers.Binary;
using System.Text;
using ProviderAgent.Runtime;
using ProviderAgent.Runtime.Docker;
using ProviderAgent.State;
using ProviderAgent.Tests.Support;
using Xunit.Abstractions;

namespace ProviderAgent.Tests.Runtime;

[Collection(DockerCollection.Name)]
public sealed class DockerRuntimeTests(DockerFixture fx, ITestOutputHelper output)
{
    private ContainerSpec Spec(params string[] args) => new(fx.Busybox, args, Timeout: TimeSpan.FromSeconds(60));

    [Fact]
    public async Task Runs_isolated_as_nobody_with_read_only_root_and_no_network()
    {
        if (fx.Skip(output, nameof(Runs_isolated_as_nobody_with_read_only_root_and_no_network))) return;
        await using var rt = fx.NewRuntime();
        var r = await rt.RunAsync(Spec("sh", "-c", "id -u; touch /x; echo rc=$?; echo ok > /tmp/y && cat /tmp/y; cat /proc/net/dev; echo err >&2; exit 7"));
        Assert.Equal(7, r.ExitCode);
        var lines = r.Stdout.Text.Split('\n');
        Assert.Equal("65534", lines[0]);
        Assert.Contains("rc=1", r.Stdout.Text);
        Assert.Contains("ok", r.Stdout.Text);
        Assert.Contains("lo:", r.Stdout.Text);
        Assert.DoesNotContain("eth0", r.Stdout.Text);
        Assert.Contains("Read-only file system", r.Stderr.Text);
        Assert.EndsWith("err\n", r.Stderr.Text);
        Assert.False(r.OomKilled);
        Assert.DoesNotContain(r.Id, await fx.NewRuntime().Engine.ListContainerNamesAsync("compute-market.agent", default));
    }

    [Fact]
    public async Task Memory_limit_kill_is_reported_as_oom()
    {
        if (fx.Skip(output, nameof(Memory_limit_kill_is_reported_as_oom))) return;
        await using var rt = fx.NewRuntime();
        var r = await rt.RunAsync(Spec("dd", "if=/dev/zero", "of=/dev/null", "bs=128M", "count=1") with
        {
            Limits = new ContainerLimits(MemoryBytes: 32L << 20),
        });
        Assert.Equal(137, r.ExitCode);
        Assert.True(r.OomKilled);
    }

    [Fact]
    public async Task Timeout_kills_the_container()
    {
        if (fx.Skip(output, nameof(Timeout_kills_the_container))) return;
        await using var rt = fx.NewRuntime();
        var r = await rt.RunAsync(Spec("sleep", "60") with { Timeout = TimeSpan.FromSeconds(1) });
        Assert.True(r.TimedOut);
        Assert.Equal(137, r.ExitCode);
    }

    [Fact]
    public async Task A_new_agent_reattaches_and_reports_vanished_containers()
    {
        if (fx.Skip(output, nameof(A_new_agent_reattaches_and_reports_vanished_containers))) return;
        string id;
        await using (var first = fx.NewRuntime())
            id = await first.StartAsync(Spec("sh", "-c", "sleep 1; exit 5"));
        string ghost = ContainerIds.New();
        var now = DateTimeOffset.UtcNow;
        fx.State.InsertContainer(new ContainerRecord(ghost, "docker", fx.Busybox.Digest, null, "", ContainerState.Running, null, now, now.AddMinutes(1)));

        await using var second = fx.NewRuntime();
        var report = await second.RecoverAsync();
        Assert.Contains(id, report.Reattached.Concat(report.FinishedWhileAway));
        Assert.Contains(ghost, report.Failed);
        Assert.Equal(5, (await second.WaitAsync(id)).ExitCode);
        await second.DeleteAsync(id);
    }

    [Fact]
    public async Task A_real_docker_save_tarball_imports_to_the_same_image_id()
    {
        if (fx.Skip(output, nameof(A_real_docker_save_tarball_imports_to_the_same_image_id))) return;
        await using var rt = fx.NewRuntime();
        await rt.RunAsync(Spec("true")); // makes the daemon import our busybox rootfs
        string name = $"localhost/compute-market:{fx.Busybox.ShortId}";
        string? dockerId = await rt.Engine.ImageIdAsync(name, default);
        Assert.NotNull(dockerId);
        string tar = fx.Dir.File("saved.tar");
        await using (var f = File.Create(tar)) await rt.Engine.SaveImageAsync(name, f, default);

        var store = new ProviderAgent.Images.ImageStore(fx.Dir.File("roundtrip"));
        var image = store.Import(tar);
        Assert.Equal(dockerId, image.Digest); // Docker's image ID is the config digest, as ours
        Assert.Contains(name, image.Names);
        Assert.True(File.Exists(Path.Combine(image.RootfsPath, "bin", "busybox")));
    }

    [Fact]
    public async Task Demultiplexes_the_engine_log_stream()
    {
        var ms = new MemoryStream();
        void Frame(byte kind, string text)
        {
            var payload = Encoding.UTF8.GetBytes(text);
            var header = new byte[8];
            header[0] = kind;
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)payload.Length);
            ms.Write(header);
            ms.Write(payload);
        }
        Frame(1, "out1\n"); Frame(2, "err\n"); Frame(1, new string('x', 70_000));
        ms.Position = 0;
        var stdout = new CappedBuffer(10);
        var stderr = new StringBuilder();
        await DockerStreamDemux.ReadAsync(ms, (kind, data) =>
        {
            if (kind == 1) stdout.Append(data.Span); else stderr.Append(Encoding.UTF8.GetString(data.Span));
        }, default);
        var o = stdout.ToOutput();
        Assert.True(o.Truncated);
        Assert.StartsWith("out1\nxxxxx\n[provider-agent: output truncated", o.Text);
        Assert.Equal("err\n", stderr.ToString());
    }
}
