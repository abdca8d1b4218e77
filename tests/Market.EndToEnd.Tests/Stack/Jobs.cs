using System.Text.Json;

namespace Market.EndToEnd.Tests.Stack;

/// <summary>A submitted job and what it must print: each job computes something checkable.</summary>
public sealed record SubmittedJob(long Id, Consumer Consumer, ulong MilliNcu, string Expected);

public static class Jobs
{
    /// <summary>A size that fits the provider a few times over, in the grade its capacity allows (grade 3 needs 500 mNCU).</summary>
    public static ulong SizeFor(Provider p) => p.MilliNcu >= 500 ? 500 : Math.Max(1, p.MilliNcu / 3);

    /// <summary>Job <paramref name="n"/>: sleeps, then prints n² + 7.</summary>
    public static async Task<SubmittedJob> SubmitAsync(Consumer c, int n, ulong milliNcu, long maxPrice, double sleepSec = 1)
    {
        var spec = Consumer.Spec($"sleep {sleepSec.ToString(System.Globalization.CultureInfo.InvariantCulture)}; echo $(({n} * {n} + 7))", (long)milliNcu);
        return new SubmittedJob(await c.SubmitAsync(spec, maxPrice), c, milliNcu, $"{n * n + 7}\n");
    }

    /// <summary>Waits until the job is settled on chain and checks its result and the settlement's arithmetic.</summary>
    public static async Task<(JsonElement Job, JsonElement Settlement)> SettledAsync(SubmittedJob j, MarketStack stack, TimeSpan timeout)
    {
        JsonElement s;
        try { s = await j.Consumer.WaitForSettlementAsync(j.Id, timeout); }
        catch (TimeoutException e)
        {
            // The settlement alone says "unleased"; the job's status and timeline say why.
            throw new TimeoutException($"{e.Message}; the job: {await j.Consumer.JobAsync(j.Id)}", e);
        }
        var job = await j.Consumer.JobAsync(j.Id);
        Assert.Equal(j.Expected, await j.Consumer.Http.GetStringAsync($"/v1/jobs/{j.Id}/result"));
        long N(string name) => long.Parse(s.GetProperty(name).GetString()!);
        long price = long.Parse(job.GetProperty("pricePerNcuHour").GetString()!);
        long usage = long.Parse(s.GetProperty("usageMilliNcuSeconds").GetString()!);
        // Exactly what the agent reported and the market accepted (a 1-mNCU job may floor to 0 mNCU·s),
        // and no report of the lease was refused (a refusal loses usage).
        var leaseId = job.GetProperty("leaseId").GetInt64();
        Assert.Equal((await UsageRows.ReadAsync(stack.Api.DatabasePath, leaseId)).Sum(r => r.Usage), usage);
        Assert.DoesNotContain(stack.Providers, p => p.Daemon?.Output.Contains($"lease {leaseId}: the market refused") == true);
        Assert.True(usage <= (long)j.MilliNcu * 120, $"job {j.Id} settled more usage than its lease allows: {s}");
        Assert.Equal(usage * price / 3_600_000, N("charge"));
        Assert.Equal(N("charge"), N("paidToProvider") + N("fee"));
        Assert.Equal(N("lockAmount") - N("charge"), N("refunded"));
        return (job, s);
    }
}
