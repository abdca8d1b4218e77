using ProviderAgent.Tests.Support;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ProviderAgent.State;
using Xunit.Abstractions;

namespace ProviderAgent.Tests.Daemon;

/// <summary>
/// The daemon end to end on a real Hardhat node, the real market API (a process) and real runc: a
/// consumer's signed job becomes an on-chain lease, the daemon verifies it on chain, runs it in the
/// busybox image and reports status, logs, result and signed usage that the market's ledger accepts;
/// a daemon stopped mid-job and started again finishes the job and reports it exactly once.
/// </summary>
public sealed class DaemonFlowTests(DaemonFixture f, ITestOutputHelper output) : IClassFixture<DaemonFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private async Task<List<(long Seq, long From, long To, long Usage)>> UsageAsync(long leaseId)
    {
        await using var c = new SqliteConnection($"Data Source={f.Market.DatabasePath};Mode=ReadOnly");
        await c.OpenAsync();
        var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT seq, from_sec, to_sec, milli_ncu_seconds FROM usage_reports WHERE lease_id = $id ORDER BY seq";
        cmd.Parameters.AddWithValue("$id", leaseId);
        var list = new List<(long, long, long, long)>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) list.Add((r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3)));
        return list;
    }

    private static List<string?> Timeline(JsonElement job) =>
        job.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("status").GetString()).ToList();

    private async Task WaitForReportsAsync(AgentStateStore state, string leaseId)
    {
        var until = DateTime.UtcNow + Timeout;
        while (state.PendingReportCount(leaseId) > 0 && DateTime.UtcNow < until) await Task.Delay(100);
    }

    [Fact]
    public async Task A_consumer_job_runs_in_a_container_and_its_status_logs_result_and_usage_reach_the_market()
    {
        var (agent, runtime, log) = f.NewAgent();
        using var stop = new CancellationTokenSource();
        var running = agent.RunAsync(stop.Token);
        try
        {
            await agent.Ready.Task.WaitAsync(Timeout);
            var consumer = await f.NewConsumer().SignInAsync();
            long jobId = await consumer.SubmitAsync(ConsumerClient.Spec("echo $((6*7))"));
            var job = await consumer.WaitForStatusAsync(jobId, Timeout, "exited", "failed", "refused");
            Assert.Equal("exited", job.GetProperty("status").GetString());
            long leaseId = job.GetProperty("leaseId").GetInt64();
            Assert.Equal(["leased", "running", "exited"], Timeline(job).Where(s => s is "leased" or "running" or "exited"));

            var logs = await consumer.Http.GetFromJsonAsync<JsonElement>($"/v1/jobs/{jobId}/logs");
            Assert.Contains("42", string.Concat(logs.EnumerateArray().Select(l => l.GetProperty("data").GetString())));
            Assert.Equal("42\n", await consumer.Http.GetStringAsync($"/v1/jobs/{jobId}/result"));

            var state = new AgentStateStore(f.Runc.State.DatabasePath);
            await WaitForReportsAsync(state, leaseId.ToString());
            Assert.All(state.ReportsOf(leaseId.ToString()), r => Assert.Equal("ok", r.Outcome));
            var usage = await UsageAsync(leaseId);
            Assert.NotEmpty(usage);
            Assert.Equal(Enumerable.Range(1, usage.Count).Select(i => (long)i), usage.Select(u => u.Seq));
            Assert.All(usage, u => Assert.True(u.Usage <= 800 * (u.To - u.From)));
            var run = state.GetLeaseRun(leaseId.ToString())!;
            Assert.Equal((LeasePhase.Done, "Exited", 0), (run.Phase, run.FinalStatus, run.ExitCode));

            // The same lease verified against the chain with a spec it was not signed for is refused.
            var assignment = JsonSerializer.Deserialize<Market.Protocol.Agents.LeaseAssignment>(run.AssignmentJson, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
            var verifier = new ProviderAgent.Leases.LeaseVerifier(f.ChainReader(), DaemonFixture.Provider.Address);
            Assert.True((await verifier.VerifyAsync(assignment, default)).Ok);
            var tampered = await verifier.VerifyAsync(assignment with { SpecJson = assignment.SpecJson.Replace("6*7", "6*8") }, default);
            Assert.False(tampered.Ok);
            Assert.Contains("hash mismatch", tampered.Reason);
            Assert.Contains("does not exist", (await verifier.VerifyAsync(assignment with { LeaseId = 9_999 }, default)).Reason);
        }
        finally
        {
            await stop.CancelAsync();
            await running.WaitAsync(Timeout);
            await runtime.DisposeAsync();
            lock (log) output.WriteLine(string.Join('\n', log));
        }
    }

    [Fact]
    public async Task A_daemon_stopped_mid_job_finishes_the_job_after_a_restart_and_reports_it_once()
    {
        var consumer = await f.NewConsumer().SignInAsync();
        var (first, runtime1, log1) = f.NewAgent();
        using var stop1 = new CancellationTokenSource();
        var running1 = first.RunAsync(stop1.Token);
        long jobId = await consumer.SubmitAsync(ConsumerClient.Spec("echo start; sleep 4; echo done"));
        var job = await consumer.WaitForStatusAsync(jobId, Timeout, "running", "exited", "failed", "refused");
        Assert.Equal("running", job.GetProperty("status").GetString());
        await stop1.CancelAsync();
        await running1.WaitAsync(Timeout);
        await runtime1.DisposeAsync();
        long leaseId = job.GetProperty("leaseId").GetInt64();

        var (second, runtime2, log2) = f.NewAgent();
        using var stop2 = new CancellationTokenSource();
        var running2 = second.RunAsync(stop2.Token);
        try
        {
            job = await consumer.WaitForStatusAsync(jobId, Timeout, "exited", "failed");
            Assert.Equal("exited", job.GetProperty("status").GetString());
            Assert.Single(Timeline(job), s => s == "exited");
            Assert.Single(Timeline(job), s => s == "running");
            Assert.Equal("start\ndone\n", await consumer.Http.GetStringAsync($"/v1/jobs/{jobId}/result"));
            var state = new AgentStateStore(f.Runc.State.DatabasePath);
            await WaitForReportsAsync(state, leaseId.ToString());
            Assert.All(state.ReportsOf(leaseId.ToString()), r => Assert.Equal("ok", r.Outcome));
            Assert.Single(state.ReportsOf(leaseId.ToString()), r => r.Kind == "result");
            var usage = await UsageAsync(leaseId);
            Assert.Equal(Enumerable.Range(1, usage.Count).Select(i => (long)i), usage.Select(u => u.Seq));
            Assert.True(usage.Sum(u => u.Usage) >= 800 * 3, $"about 4 s × 800 mNCU metered, got {usage.Sum(u => u.Usage)}");
            for (int i = 1; i < usage.Count; i++) Assert.True(usage[i].From >= usage[i - 1].To);
        }
        finally
        {
            await stop2.CancelAsync();
            await running2.WaitAsync(Timeout);
            await runtime2.DisposeAsync();
            output.WriteLine(string.Join('\n', log1.Concat(log2)));
        }
    }

    [Fact]
    public async Task A_job_the_consumer_cancels_is_killed_and_reported_cancelled()
    {
        var (agent, runtime, log) = f.NewAgent();
        using var stop = new CancellationTokenSource();
        var running = agent.RunAsync(stop.Token);
        try
        {
            await agent.Ready.Task.WaitAsync(Timeout);
            var consumer = await f.NewConsumer().SignInAsync();
            long jobId = await consumer.SubmitAsync(ConsumerClient.Spec("echo waiting; sleep 60"));
            await consumer.WaitForStatusAsync(jobId, Timeout, "running");
            (await consumer.Http.DeleteAsync($"/v1/jobs/{jobId}")).EnsureSuccessStatusCode();
            var job = await consumer.WaitForStatusAsync(jobId, TimeSpan.FromSeconds(20), "cancelled", "exited", "failed");
            Assert.Equal("cancelled", job.GetProperty("status").GetString());
            var run = new AgentStateStore(f.Runc.State.DatabasePath).GetLeaseRun(job.GetProperty("leaseId").GetInt64().ToString())!;
            Assert.Equal(("Cancelled", true), (run.FinalStatus, run.CancelRequested));
        }
        finally
        {
            await stop.CancelAsync();
            await running.WaitAsync(Timeout);
            await runtime.DisposeAsync();
            lock (log) output.WriteLine(string.Join('\n', log));
        }
    }

    [Fact]
    public async Task A_container_that_vanished_while_the_daemon_was_down_is_reported_failed()
    {
        var consumer = await f.NewConsumer().SignInAsync();
        var (first, runtime1, log1) = f.NewAgent();
        using var stop1 = new CancellationTokenSource();
        var running1 = first.RunAsync(stop1.Token);
        long jobId = await consumer.SubmitAsync(ConsumerClient.Spec("sleep 60"));
        var job = await consumer.WaitForStatusAsync(jobId, Timeout, "running");
        await stop1.CancelAsync();
        await running1.WaitAsync(Timeout);
        await runtime1.DisposeAsync();
        // Gone behind the agent's back: shim killed (so no exit code is written), container deleted.
        var state = new AgentStateStore(f.Runc.State.DatabasePath);
        var container = state.GetContainer(state.GetLeaseRun(job.GetProperty("leaseId").GetInt64().ToString())!.ContainerId!)!;
        System.Diagnostics.Process.GetProcessById(container.ShimPid!.Value).Kill();
        using (var del = System.Diagnostics.Process.Start("runc", ["--root", f.Runc.StateRoot, "delete", "--force", container.Id])) await del.WaitForExitAsync();

        var (second, runtime2, log2) = f.NewAgent();
        using var stop2 = new CancellationTokenSource();
        var running2 = second.RunAsync(stop2.Token);
        try
        {
            job = await consumer.WaitForStatusAsync(jobId, Timeout, "failed", "exited");
            Assert.Equal("failed", job.GetProperty("status").GetString());
            Assert.Contains(log2, l => l.Contains("vanished"));
        }
        finally
        {
            await stop2.CancelAsync();
            await running2.WaitAsync(Timeout);
            await runtime2.DisposeAsync();
            output.WriteLine(string.Join('\n', log1.Concat(log2)));
        }
    }

    [Fact]
    public async Task A_job_that_outlives_its_lease_is_killed_and_reported_timed_out_with_usage_inside_the_lease()
    {
        var (agent, runtime, log) = f.NewAgent();
        using var stop = new CancellationTokenSource();
        var running = agent.RunAsync(stop.Token);
        try
        {
            await agent.Ready.Task.WaitAsync(Timeout);
            var consumer = await f.NewConsumer().SignInAsync();
            // 6 s, not less: on a loaded machine the agent may get the lease a few seconds after it
            // opened on chain, and a lease with under a second left meters nothing.
            long jobId = await consumer.SubmitAsync(ConsumerClient.Spec("sleep 60", maxDurationSec: 6));
            var job = await consumer.WaitForStatusAsync(jobId, Timeout, "failed", "exited");
            Assert.Equal("failed", job.GetProperty("status").GetString());
            long leaseId = job.GetProperty("leaseId").GetInt64();
            var state = new AgentStateStore(f.Runc.State.DatabasePath);
            Assert.Equal("TimedOut", state.GetLeaseRun(leaseId.ToString())!.FinalStatus);
            await WaitForReportsAsync(state, leaseId.ToString());
            Assert.All(state.ReportsOf(leaseId.ToString()), r => Assert.Equal("ok", r.Outcome));
            var usage = await UsageAsync(leaseId);
            Assert.NotEmpty(usage);
            Assert.True(usage[^1].To - usage[0].From <= 6, "usage stays inside the 6 s lease");
        }
        finally
        {
            await stop.CancelAsync();
            await running.WaitAsync(Timeout);
            await runtime.DisposeAsync();
            lock (log) output.WriteLine(string.Join('\n', log));
        }
    }
}
