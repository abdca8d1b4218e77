using ProviderAgent.Runtime;
using ProviderAgent.State;
using ProviderAgent.Tests.Support;

namespace ProviderAgent.Tests.Runtime;

/// <summary>A real agent process killed with SIGKILL mid-job: its container must live on and be recovered.</summary>
[Collection(RuncCollection.Name)]
public sealed class RuncAgentCrashTests(RuncFixture fx)
{
    [Fact]
    public async Task A_container_survives_a_killed_agent_and_is_recovered()
    {
        using var agent = AgentCli.Start("--data-dir", fx.Dir.Path, "run-container", "--image", fx.Busybox.Digest,
            "--runc-root", fx.StateRoot, "--cgroup-parent", fx.CgroupParent, "--timeout", "30",
            "--", "sh", "-c", "sleep 2; echo outlived the agent");
        ContainerRecord? running = null;
        for (int i = 0; i < 200 && running is null; i++)
        {
            running = fx.State.ListContainers("runc", activeOnly: true).FirstOrDefault(c => c.State == ContainerState.Running);
            if (running is null) await Task.Delay(50);
        }
        Assert.NotNull(running);
        agent.Kill(); // SIGKILL: no cleanup, no goodbye
        await agent.WaitForExitAsync();

        await using var next = fx.NewRuntime();
        var report = await next.RecoverAsync();
        Assert.Contains(running.Id, report.Reattached);
        var r = await next.WaitAsync(running.Id).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("outlived the agent\n", r.Stdout.Text);
        await next.DeleteAsync(running.Id);
        Assert.Empty(fx.Leftovers(running.Id));
    }

    [Fact]
    public async Task With_network_allowed_a_job_that_asks_shares_the_host_network()
    {
        await using var rt = fx.NewRuntime(allowNetwork: true);
        var r = await rt.RunAsync(fx.Spec("cat", "/proc/net/dev") with { Network = true });
        var hostDevices = File.ReadAllLines("/proc/net/dev").Skip(2).Select(l => l.Split(':')[0].Trim()).Order();
        var seen = r.Stdout.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).Select(l => l.Split(':')[0].Trim()).Order();
        Assert.Equal(hostDevices, seen);
    }
}
