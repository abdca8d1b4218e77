using System.Diagnostics;
using ProviderAgent.Runtime;
using ProviderAgent.Tests.Support;

namespace ProviderAgent.Tests.Runtime;

[Collection(RuncCollection.Name)]
public sealed class RuncLimitsTests(RuncFixture fx)
{
    [Fact]
    public async Task Memory_limit_kills_and_reports_out_of_memory()
    {
        await using var rt = fx.NewRuntime();
        // dd allocates its whole 128 MiB block at once: over a 32 MiB limit with no swap allowed.
        var spec = fx.Spec("dd", "if=/dev/zero", "of=/dev/null", "bs=128M", "count=1") with
        {
            Limits = new ContainerLimits(MemoryBytes: 32L << 20),
        };
        var r = await rt.RunAsync(spec);
        Assert.Equal(137, r.ExitCode);
        Assert.True(r.OomKilled);
        Assert.False(r.TimedOut);
        Assert.Empty(fx.Leftovers(r.Id));
    }

    [Fact]
    public async Task Within_the_memory_limit_nothing_is_reported()
    {
        await using var rt = fx.NewRuntime();
        var r = await rt.RunAsync(fx.Spec("dd", "if=/dev/zero", "of=/dev/null", "bs=4M", "count=4") with
        {
            Limits = new ContainerLimits(MemoryBytes: 64L << 20),
        });
        Assert.Equal(0, r.ExitCode);
        Assert.False(r.OomKilled);
    }

    [Fact]
    public async Task Cpu_quota_of_half_a_core_caps_cpu_time()
    {
        await using var rt = fx.NewRuntime();
        // A busy loop for 2 s of wall time; the shell then prints its children's CPU time
        // (cutime + cstime, /proc/<pid>/stat fields 16 and 17, in clock ticks of 1/100 s).
        var spec = fx.Spec("sh", "-c", "timeout 2 sh -c 'while :; do :; done'; cat /proc/$$/stat") with
        {
            Limits = new ContainerLimits(Cpus: 0.5),
        };
        var r = await rt.RunAsync(spec);
        var fields = r.Stdout.Text.Trim().Split(' ');
        double cpuSeconds = (long.Parse(fields[15]) + long.Parse(fields[16])) / 100.0;
        // Unlimited, the loop would burn ~2 s of CPU; at 50 % quota it gets ~1 s.
        Assert.InRange(cpuSeconds, 0.2, 1.4);
    }

    [Fact]
    public async Task Pids_limit_stops_a_fork_bomb()
    {
        await using var rt = fx.NewRuntime();
        var spec = fx.Spec("sh", "-c", "for i in $(seq 1 60); do sleep 3 & done; wait") with
        {
            Limits = new ContainerLimits(Pids: 20),
            Timeout = TimeSpan.FromSeconds(20),
        };
        var r = await rt.RunAsync(spec);
        Assert.False(r.TimedOut);
        Assert.Contains("fork", r.Stderr.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Timeout_kills_the_container()
    {
        await using var rt = fx.NewRuntime();
        var sw = Stopwatch.StartNew();
        var r = await rt.RunAsync(fx.Spec("sleep", "60") with { Timeout = TimeSpan.FromSeconds(1) });
        Assert.True(r.TimedOut);
        Assert.Equal(137, r.ExitCode);
        Assert.False(r.Succeeded);
        Assert.InRange(sw.Elapsed.TotalSeconds, 0.9, 10);
        Assert.Empty(fx.Leftovers(r.Id));
    }

    [Fact]
    public async Task Log_flood_is_capped_without_blocking_the_container()
    {
        await using var rt = fx.NewRuntime();
        // 64 MiB of output against a 64 KiB cap: the container must run to its end, not block.
        var spec = fx.Spec("sh", "-c", "yes flood | head -c 67108864; echo finished >&2") with
        {
            LogCapBytes = 64 * 1024, Timeout = TimeSpan.FromSeconds(60),
        };
        string id = await rt.StartAsync(spec);
        var r = await rt.WaitAsync(id);
        // Neither the agent nor the disk ever held more than the cap plus the marker line.
        long onDisk = new FileInfo(Path.Combine(fx.BundleOf(id), "stdout.log")).Length;
        await rt.DeleteAsync(id);
        Assert.InRange(onDisk, 64 * 1024, 64 * 1024 + 200);
        Assert.Equal(0, r.ExitCode);
        Assert.False(r.TimedOut);
        Assert.True(r.Stdout.Truncated);
        Assert.StartsWith("flood\nflood\n", r.Stdout.Text);
        Assert.InRange(r.Stdout.Text.Length, 64 * 1024, 64 * 1024 + 200);
        Assert.Contains("output truncated", r.Stdout.Text);
        Assert.Equal("finished\n", r.Stderr.Text);
        Assert.False(r.Stderr.Truncated);
    }

    [Theory]
    [InlineData(100, false)] // exactly the cap: nothing lost, no marker
    [InlineData(101, true)]  // one byte more: cut at the cap, marked
    public async Task Output_is_cut_at_the_cap_byte_for_byte(int bytes, bool truncated)
    {
        await using var rt = fx.NewRuntime();
        // A NUL as the byte past the cap: the shim's one-byte look-ahead must see any byte.
        var spec = fx.Spec("sh", "-c", $"head -c 100 /dev/zero | tr '\\0' x; head -c {bytes - 100} /dev/zero") with { LogCapBytes = 100 };
        string id = await rt.StartAsync(spec);
        var r = await rt.WaitAsync(id);
        await rt.DeleteAsync(id);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(truncated, r.Stdout.Truncated);
        Assert.StartsWith(new string('x', 100), r.Stdout.Text);
        if (!truncated) Assert.Equal(new string('x', 100), r.Stdout.Text);
    }

    [Fact]
    public async Task Logs_stream_while_the_container_runs()
    {
        await using var rt = fx.NewRuntime();
        string id = await rt.StartAsync(fx.Spec("sh", "-c", "echo one; sleep 0.3; echo two >&2; sleep 0.3; echo three"));
        var chunks = new List<LogChunk>();
        await foreach (var c in rt.StreamLogsAsync(id)) chunks.Add(c);
        await rt.DeleteAsync(id);
        Assert.Equal("one\nthree\n", string.Concat(chunks.Where(c => c.Stream == "stdout").Select(c => c.Text)));
        Assert.Equal("two\n", string.Concat(chunks.Where(c => c.Stream == "stderr").Select(c => c.Text)));
    }
}
