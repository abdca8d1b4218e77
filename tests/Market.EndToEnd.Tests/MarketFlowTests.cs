using Market.EndToEnd.Tests.Stack;
using Xunit.Abstractions;

namespace Market.EndToEnd.Tests;

/// <summary>
/// The market as its users meet it: three consumers sign 20 busybox jobs sized for three providers
/// of different measured capacity and price; the API matches them against the agents' on-chain
/// offers, opens leases, the agents verify and run them in runc, report signed usage, and billing
/// proposes and finalizes every lease on chain. Every job prints what it computed, is settled once,
/// and the chain's balances equal the statements.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class MarketFlowTests(MarketStack stack, ITestOutputHelper output)
{
    [Fact]
    public Task Twenty_jobs_from_three_consumers_run_on_three_providers_and_settle_with_the_books_balanced() => stack.Reporting(output, async () =>
    {
        foreach (var p in stack.Providers)
            output.WriteLine($"provider {p.Key.Address} on CPUs {p.Cpus}: {p.MilliNcu} mNCU (grade {Grades.Of(p.MilliNcu)}), {p.Price} per NCU-hour");
        var consumers = new List<Consumer>();
        foreach (var key in stack.Consumers) consumers.Add(await stack.Wallet(key).SignInAsync());

        var jobs = new List<SubmittedJob>();
        for (int i = 0; i < 20; i++)
            jobs.Add(await Jobs.SubmitAsync(consumers[i % 3], i, Jobs.SizeFor(stack.Providers[i % 3]), maxPrice: 2_000_000));

        var providers = new HashSet<string>();
        var markets = new HashSet<int>();
        foreach (var j in jobs)
        {
            var (job, settlement) = await Jobs.SettledAsync(j, stack, TimeSpan.FromSeconds(180));
            Assert.Equal("settled", job.GetProperty("status").GetString());
            Assert.Equal("met", settlement.GetProperty("verdict").GetString());
            var leaseId = job.GetProperty("leaseId").GetInt64();
            Assert.Equal(5, await stack.Read.Escrow.LeaseStateOfQueryAsync(leaseId)); // Settled on chain
            providers.Add(job.GetProperty("provider").GetString()!.ToLowerInvariant());
            markets.Add(job.GetProperty("grade").GetInt32());
        }
        output.WriteLine($"markets (Logical × grade): {string.Join(", ", markets.Order())}; providers used: {providers.Count}");
        Assert.Equal(3, providers.Count);
        // Grades are honest (what each CPU set measured): one market on a 2-core machine, two where a set reaches 500 mNCU.
        Assert.Equal(stack.Providers.Select(p => (int)Grades.Of(Jobs.SizeFor(p))).ToHashSet(), markets);
        await stack.AssertBalancedAsync();
    });
}
