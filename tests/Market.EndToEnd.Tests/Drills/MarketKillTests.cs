using Market.Chain.Contracts;
using Market.EndToEnd.Tests.Stack;
using Xunit.Abstractions;

namespace Market.EndToEnd.Tests.Drills;

/// <summary>
/// `kill -9` of Market.Api with jobs in flight (leased, running, reporting), then a restart on the
/// same SQLite file and port: the agents' queued reports reach the new process, and every job is
/// proposed once and settled once on chain.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class MarketKillTests(MarketStack stack, ITestOutputHelper output)
{
    [Fact]
    public Task Market_api_killed_with_jobs_in_flight_restarts_and_every_job_settles_exactly_once() => stack.Reporting(output, async () =>
    {
        var from = await stack.Chain.Client.BlockNumberAsync();
        var consumers = new List<Consumer>();
        foreach (var key in stack.Consumers) consumers.Add(await stack.Wallet(key).SignInAsync());
        var jobs = new List<SubmittedJob>();
        for (int i = 0; i < 6; i++)
            jobs.Add(await Jobs.SubmitAsync(consumers[i % 3], 100 + i, Jobs.SizeFor(stack.Providers[0]), maxPrice: 2_000_000, sleepSec: 2));
        await Wait.ForAsync(async () => await Task.WhenAll(jobs.Select(j => j.Consumer.JobAsync(j.Id))),
            all => all.Count(j => j.GetProperty("status").GetString() is "running") >= 2, TimeSpan.FromSeconds(60), "two jobs running");

        await stack.Api.KillHard();
        await stack.Api.DisposeAsync();
        await stack.StartApiAsync(stack.Api.Port);

        var again = new Dictionary<string, Consumer>();
        foreach (var key in stack.Consumers) again[key.Address.ToString()] = await stack.Wallet(key).SignInAsync();
        var leases = new List<ulong>();
        foreach (var j in jobs)
        {
            var (job, _) = await Jobs.SettledAsync(j with { Consumer = again[j.Consumer.Key.Address.ToString()] }, stack, TimeSpan.FromSeconds(120));
            leases.Add((ulong)job.GetProperty("leaseId").GetInt64());
            Assert.Single(job.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("status").GetString() == "settled");
        }
        var proposed = (await stack.Read.Escrow.GetSettlementProposedEventsAsync(from))
            .SelectMany(p => p.Event.Entries).Select(e => SettlementEntry.Unpack(e).LeaseId).ToList();
        foreach (var lease in leases)
        {
            Assert.Equal(1, proposed.Count(l => l == lease));
            Assert.Equal(5, await stack.Read.Escrow.LeaseStateOfQueryAsync(lease));
        }
        await stack.AssertBalancedAsync();
    });
}
