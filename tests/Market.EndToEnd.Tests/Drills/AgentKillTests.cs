using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using Market.EndToEnd.Tests.Stack;
using Market.TestSupport;
using Xunit.Abstractions;

namespace Market.EndToEnd.Tests.Drills;

/// <summary>
/// `kill -9` of a provider agent mid-job: its lease is judged breached once the agent has been
/// silent for the heartbeat timeout; the consumer gets the unused lock back plus the penalty, which
/// is slashed from the provider's stake — all checked on chain.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class AgentKillTests(MarketStack stack, ITestOutputHelper output)
{
    [Fact]
    public Task An_agent_killed_mid_job_is_breached_the_consumer_refunded_and_compensated_and_the_provider_slashed() => stack.Reporting(output, async () =>
    {
        // A fourth provider, cheapest of all, whose whole offer the drill's job takes: no other job can land on it.
        await using var victim = new Provider(DevelopmentKeys.Key(7), "0", 500_000, stack.Dir);
        await victim.SetUpAsync(stack.Api.BaseUrl, stack.Rpc.Url, stack.Chain.DeploymentFile, MarketStack.Stake);
        await victim.StartAsync();
        await stack.WaitForLiveOffersAsync(stack.Providers.Count + 1);
        var consumer = await stack.Wallet(stack.Consumers[0]).SignInAsync();
        try
        {
            var escrowBefore = await stack.Read.Escrow.BalanceOfQueryAsync(consumer.Key.Address);
            var stakeBefore = await stack.Read.Registry.StakeOfQueryAsync(victim.Key.Address);
            var spec = Consumer.Spec("echo started; sleep 60", (long)victim.MilliNcu);
            long jobId = await consumer.SubmitAsync(spec, maxPrice: victim.Price);
            var job = await consumer.WaitForStatusAsync(jobId, TimeSpan.FromSeconds(60), "running");
            Assert.Equal(victim.Key.Address.ToLowerHex(), job.GetProperty("provider").GetString()!.ToLowerInvariant());

            await victim.Daemon!.KillHard();

            var s = await consumer.WaitForSettlementAsync(jobId, TimeSpan.FromSeconds(90));
            Assert.Equal("breached", s.GetProperty("verdict").GetString());
            var heartbeat = s.GetProperty("evidence").GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("rule").GetString() == "heartbeat");
            Assert.False(heartbeat.GetProperty("ok").GetBoolean());
            BigInteger N(string name) => BigInteger.Parse(s.GetProperty(name).GetString()!);
            var penalty = (N("lockAmount") * 500 + 9_999) / 10_000; // the agent's default 5 % penalty, rounded up
            Assert.True(penalty > 0);
            Assert.Equal(penalty, N("penalty"));
            Assert.Equal(N("lockAmount") - N("charge"), N("refunded"));
            Assert.Equal(escrowBefore - N("charge") + penalty, await stack.Read.Escrow.BalanceOfQueryAsync(consumer.Key.Address));
            Assert.Equal(stakeBefore - penalty, await stack.Read.Registry.StakeOfQueryAsync(victim.Key.Address));
            Assert.Equal(5, await stack.Read.Escrow.LeaseStateOfQueryAsync(job.GetProperty("leaseId").GetInt64()));
            Assert.Equal("settled", (await consumer.JobAsync(jobId)).GetProperty("status").GetString());
        }
        finally
        {
            // Take the dead provider's offer off the market so later tests never match it.
            var offers = await consumer.Http.GetFromJsonAsync<JsonElement>("/v1/offers");
            foreach (var o in offers.EnumerateArray().Where(o => o.GetProperty("provider").GetString()!.Equals(victim.Key.Address.ToLowerHex(), StringComparison.OrdinalIgnoreCase)))
                await stack.As(victim.Key).OfferBook.WithdrawOfferRequestAndWaitForReceiptAsync(o.GetProperty("id").GetInt64());
        }
        await stack.AssertBalancedAsync();
    });
}
