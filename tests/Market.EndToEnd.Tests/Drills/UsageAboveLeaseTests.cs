using System.Net;
using System.Net.Http.Json;
using Market.Chain.Usage;
using Market.EndToEnd.Tests.Stack;
using Xunit.Abstractions;

namespace Market.EndToEnd.Tests.Drills;

/// <summary>
/// A provider reporting usage above its lease (more mNCU·s than reserved × interval), signed with its
/// real key: refused with a problem detail naming the problem, nothing stored, and the lease settles
/// on exactly the usage its agent honestly reported.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class UsageAboveLeaseTests(MarketStack stack, ITestOutputHelper output)
{
    private Task<List<(long Seq, long From, long To, long Usage)>> UsageRowsAsync(long leaseId) => UsageRows.ReadAsync(stack.Api.DatabasePath, leaseId);

    [Fact]
    public Task A_provider_reporting_usage_above_its_lease_is_refused_and_nothing_changes() => stack.Reporting(output, async () =>
    {
        var consumer = await stack.Wallet(stack.Consumers[1]).SignInAsync();
        var p = stack.Providers[0];
        var job = await Jobs.SubmitAsync(consumer, 300, Jobs.SizeFor(p), maxPrice: 2_000_000, sleepSec: 2);
        // Exited is reported after the last usage report (the agent's outbox is in order): the honest usage is all in.
        var seen = await consumer.WaitForStatusAsync(job.Id, TimeSpan.FromSeconds(60), "exited", "settled");
        long leaseId = seen.GetProperty("leaseId").GetInt64();
        var owner = stack.Providers.Single(x => x.Key.Address.ToLowerHex() == seen.GetProperty("provider").GetString()!.ToLowerInvariant());
        var rows = await UsageRowsAsync(leaseId);
        Assert.NotEmpty(rows);

        var agent = await stack.Wallet(owner.Key).SignInAsync();
        var signer = new UsageReportSigner(stack.Chain.Deployment.ChainId, stack.Chain.Deployment.AddressOf("LeaseEscrow"));
        var last = rows[^1];
        var over = new UsageReport((ulong)leaseId, (ulong)last.Seq + 1, (ulong)last.To, (ulong)last.To + 1, job.MilliNcu + 1); // reserved × 1 s, plus one
        var body = new Market.Protocol.Agents.UsageReport(leaseId, (long)over.Seq, (long)over.FromTime, (long)over.ToTime, (long)over.MilliNcuSeconds,
            signer.Sign(over, owner.Key).ToHex());
        HttpResponseMessage r;
        string text;
        var until = DateTime.UtcNow.AddSeconds(20);
        do
        {
            // The market judges "the future" by its view of chain time; wait until the interval is in the past.
            r = await agent.Http.PostAsJsonAsync($"/v1/agent/leases/{leaseId}/usage", body);
            text = await r.Content.ReadAsStringAsync();
            if (!text.Contains("usage-infuture")) break;
            await Task.Delay(500);
        } while (DateTime.UtcNow < until);

        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        Assert.Contains("usage-overrate", text);
        Assert.Contains("above reserved", text);
        Assert.Equal(rows, await UsageRowsAsync(leaseId));

        var (_, settlement) = await Jobs.SettledAsync(job, stack, TimeSpan.FromSeconds(60));
        Assert.Equal(rows.Sum(x => x.Usage).ToString(), settlement.GetProperty("usageMilliNcuSeconds").GetString());
        Assert.Equal(rows, await UsageRowsAsync(leaseId));
        await stack.AssertBalancedAsync();
    });
}
