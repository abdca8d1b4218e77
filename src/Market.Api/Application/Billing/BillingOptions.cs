namespace Market.Api.Application.Billing;

/// <summary>Section "Market:Billing". Billing runs when a chain and a SETTLER key (Market:Chain:SettlerKey) are configured.</summary>
public sealed class BillingOptions
{
    public bool Enabled { get; set; } = true;
    public int MaxBatchSize { get; set; } = 100;
    public double MaxWaitSeconds { get; set; } = 5;
    public double PollSeconds { get; set; } = 1;
    public ulong StartLatencySec { get; set; } = 60;
    public ulong HeartbeatTimeoutSec { get; set; } = 90;
    public ulong EndGraceSec { get; set; } = 30;
}
