using System.Diagnostics;
using Market.TestSupport;
using ProviderAgent.Daemon;
using ProviderAgent.MarketApi;
using ProviderAgent.State;
using ProviderAgent.Tests.Support;

namespace ProviderAgent.Tests.Daemon;

/// <summary>A queued report is delivered at once, not at the sender's next idle poll (it is on the submit→running path).</summary>
public sealed class ReportSenderTests
{
    [Fact]
    public async Task A_queued_report_wakes_the_sender()
    {
        using var dir = new TempDir();
        var state = new AgentStateStore(dir.File("state.db"));
        var market = new FakeMarket();
        var sender = new ReportSender(state, new AgentApiClient(market.Client(), DevelopmentKeys.Key(4)), _ => { }) { Idle = TimeSpan.FromSeconds(30) };
        state.ReportsQueued += sender.Wake;
        using var stop = new CancellationTokenSource();
        var loop = sender.RunAsync(stop.Token);
        await Task.Delay(300); // the first sweep found nothing; the sender now idles

        Assert.True(state.TryInsertLeaseRun("7", "{}", null, 0));
        var sw = Stopwatch.StartNew();
        state.UpdateLeaseRun("7", new Dictionary<string, object?>(), OutboxItem.New("7", "status", """{"leaseId":7,"status":"Running"}"""u8.ToArray()));
        while (market.Reports.IsEmpty && sw.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(10);

        Assert.Contains(market.Reports, r => r.Path == "/v1/agent/leases/7/status");
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"delivered after {sw.Elapsed.TotalMilliseconds:0} ms; the idle poll is 30 s");
        stop.Cancel();
        await loop;
    }
}
