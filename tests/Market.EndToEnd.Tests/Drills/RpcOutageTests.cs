using Market.EndToEnd.Tests.Stack;
using Xunit.Abstractions;

namespace Market.EndToEnd.Tests.Drills;

/// <summary>
/// A 10-second RPC outage (the proxy between every service and the node is cut) while jobs are
/// leased and running: the indexer, lease opener, agents' lease verification, usage reports and
/// billing retry; a submission during the outage gets a retryable 503; nothing is lost, every job
/// settles and the books balance.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class RpcOutageTests(MarketStack stack, ITestOutputHelper output)
{
    [Fact]
    public Task A_ten_second_rpc_outage_loses_nothing_and_every_job_settles() => stack.Reporting(output, async () =>
    {
        var consumers = new List<Consumer>();
        foreach (var key in stack.Consumers) consumers.Add(await stack.Wallet(key).SignInAsync());
        var jobs = new List<SubmittedJob>();
        for (int i = 0; i < 4; i++)
            jobs.Add(await Jobs.SubmitAsync(consumers[i % 3], 200 + i, Jobs.SizeFor(stack.Providers[0]), maxPrice: 2_000_000, sleepSec: 2));
        await Wait.ForAsync(() => jobs[0].Consumer.JobAsync(jobs[0].Id), j => j.GetProperty("status").GetString() is "running" or "exited",
            TimeSpan.FromSeconds(60), "the first job to run");

        stack.Rpc.Cut();
        try
        {
            // The market cannot judge a bid's deadline without chain time: a clear, retryable 503, nothing stored.
            await Task.Delay(TimeSpan.FromSeconds(2)); // past the market's one-second cache of chain time
            var refused = await consumers[0].PostJobAsync(Consumer.Spec("echo never", (long)Jobs.SizeFor(stack.Providers[0])), 2_000_000);
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("chain-unavailable", await refused.Content.ReadAsStringAsync());
            await Task.Delay(TimeSpan.FromSeconds(8)); // the rest of the staged 10-s outage, not an assertion
        }
        finally { stack.Rpc.Restore(); }
        for (int i = 4; i < 7; i++)
            jobs.Add(await Jobs.SubmitAsync(consumers[i % 3], 200 + i, Jobs.SizeFor(stack.Providers[0]), maxPrice: 2_000_000, sleepSec: 1));

        foreach (var j in jobs)
        {
            var (job, settlement) = await Jobs.SettledAsync(j, stack, TimeSpan.FromSeconds(120));
            Assert.Equal("met", settlement.GetProperty("verdict").GetString());
            Assert.Equal(5, await stack.Read.Escrow.LeaseStateOfQueryAsync(job.GetProperty("leaseId").GetInt64()));
        }
        await stack.AssertBalancedAsync();
    });
}
