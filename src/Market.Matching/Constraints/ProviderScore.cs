namespace Market.Matching.Constraints;

/// <summary>
/// The reputation signal used as the last tie-break (after price and time): uptime history
/// dominates, measured start latency breaks what uptime leaves equal. score = uptimeBps × 100 −
/// min(startLatencyMs, 9,999) / 100, so 0.01 % of uptime outweighs any start latency difference
/// and a 1 s faster start is worth 10 points. Range 0 .. 1,000,000; higher wins.
/// </summary>
public static class ProviderScore
{
    public const int Max = 1_000_000;

    public static int Compute(ushort uptimeBps, uint startLatencyMs)
    {
        int uptime = Math.Min((int)uptimeBps, 10_000);
        int latencyPenalty = (int)Math.Min(startLatencyMs, 9_999u) / 100;
        return Math.Max(0, uptime * 100 - latencyPenalty);
    }

    /// <summary>Start-latency class from a measured start latency: 0 under 1 s, 1 under 5 s, 2 under 30 s, 3 otherwise.</summary>
    public static byte LatencyClass(uint startLatencyMs) => startLatencyMs switch
    {
        < 1_000 => 0,
        < 5_000 => 1,
        < 30_000 => 2,
        _ => 3,
    };
}
