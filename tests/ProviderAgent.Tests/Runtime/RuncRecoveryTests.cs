using ProviderAgent.Runtime;
using ProviderAgent.State;
using ProviderAgent.Tests.Support;

namespace ProviderAgent.Tests.Runtime;

[Collection(RuncCollection.Name)]
public sealed class RuncRecoveryTests(RuncFixture fx)
{
    [Fact]
    public async Task A_new_agent_reattaches_to_a_running_container_and_waits_it_out()
    {
        string id;
        await using (var first = fx.NewRuntime())
            id = await first.StartAsync(fx.Spec("sh", "-c", "sleep 1.5; echo survived; exit 3"));
        // The first agent is gone; its container must still be running.
        Assert.Equal(ContainerState.Running, fx.State.GetContainer(id)!.State);

        await using var second = fx.NewRuntime();
        var report = await second.RecoverAsync();
        Assert.Contains(id, report.Reattached);
        var r = await second.WaitAsync(id);
        Assert.Equal(3, r.ExitCode);
        Assert.Equal("survived\n", r.Stdout.Text);
        Assert.Equal(ContainerState.Exited, fx.State.GetContainer(id)!.State);
        await second.DeleteAsync(id);
        Assert.Empty(fx.Leftovers(id));
    }

    [Fact]
    public async Task A_container_that_finished_while_the_agent_was_away_is_collected()
    {
        string id;
        // The container outlives the first runtime (disposed right after the start), so it finishes
        // while no agent watches it; a container quicker than the disposal would be collected by
        // the first runtime itself, and there would be nothing to recover.
        await using (var first = fx.NewRuntime())
            id = await first.StartAsync(fx.Spec("sh", "-c", "sleep 1; echo quick"));
        var bundle = fx.BundleOf(id);
        for (int i = 0; i < 200 && !File.Exists(Path.Combine(bundle, "exit.code")); i++) await Task.Delay(50);

        await using var second = fx.NewRuntime();
        var report = await second.RecoverAsync();
        Assert.Contains(id, report.FinishedWhileAway);
        var r = await second.WaitAsync(id);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("quick\n", r.Stdout.Text);
        await second.DeleteAsync(id);
        Assert.Empty(fx.Leftovers(id));
    }

    [Fact]
    public async Task A_vanished_container_is_reported_failed_not_forgotten()
    {
        string id = ContainerIds.New();
        var now = DateTimeOffset.UtcNow;
        fx.State.InsertContainer(new ContainerRecord(id, "runc", fx.Busybox.Digest, "lease-7", fx.BundleOf(id),
            ContainerState.Running, 999_999, now, now.AddMinutes(5)));

        await using var rt = fx.NewRuntime();
        var report = await rt.RecoverAsync();
        Assert.Contains(id, report.Failed);
        var record = fx.State.GetContainer(id)!;
        Assert.Equal(ContainerState.Failed, record.State);
        Assert.Contains("vanished", record.Error);
        var r = await rt.WaitAsync(id);
        Assert.Null(r.ExitCode);
        Assert.NotNull(r.Error);
    }

    [Fact]
    public async Task The_original_deadline_still_applies_after_a_restart()
    {
        string id;
        await using (var first = fx.NewRuntime())
            id = await first.StartAsync(fx.Spec("sleep", "60") with { Timeout = TimeSpan.FromSeconds(1.5) });
        await using var second = fx.NewRuntime();
        await second.RecoverAsync();
        var r = await second.WaitAsync(id).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(r.TimedOut);
        Assert.Equal(137, r.ExitCode);
        await second.DeleteAsync(id);
        Assert.Empty(fx.Leftovers(id));
    }

    [Fact]
    public async Task Nothing_is_left_behind_once_all_containers_are_deleted()
    {
        await using var rt = fx.NewRuntime();
        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => rt.RunAsync(fx.Spec("sh", "-c", $"echo {i}"))));
        Assert.All(results, r => Assert.Equal(0, r.ExitCode));
        await rt.RecoverAsync(); // a recovery pass with nothing to do removes the idle parent too
        Assert.Empty(fx.Cgroups.Leftovers(fx.CgroupParent));
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(fx.Dir.Path, "containers")));
        Assert.Empty(Directory.Exists(fx.StateRoot) ? Directory.EnumerateDirectories(fx.StateRoot) : []);
    }
}
