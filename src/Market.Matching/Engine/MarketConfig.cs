using Market.Matching.Model;

namespace Market.Matching.Engine;

public enum MarketMode : byte { Continuous, Batch }

/// <summary>How one (compute type, grade) market trades.</summary>
public sealed record MarketConfig
{
    public MarketMode Mode { get; init; } = MarketMode.Continuous;

    /// <summary>Batch only: k of the k-double auction in thousandths; 500 = midpoint between marginal bid and ask.</summary>
    public int KPermille { get; init; } = 500;

    /// <summary>Batch only: McAfee-style trade reduction (drop the marginal trade, price at its bid).</summary>
    public bool TradeReduction { get; init; }

    public static MarketConfig Continuous { get; } = new();
    public static MarketConfig Batch { get; } = new() { Mode = MarketMode.Batch };
}

/// <summary>Engine sizing and per-market configuration. Sizes are preallocated up front.</summary>
public sealed class EngineConfig
{
    public const int MarketCount = 3 * 4;

    private readonly MarketConfig[] _markets = new MarketConfig[MarketCount];

    public EngineConfig(MarketConfig? all = null)
    {
        for (int i = 0; i < MarketCount; i++) _markets[i] = all ?? MarketConfig.Continuous;
    }

    /// <summary>Most bids resting at once, all markets together.</summary>
    public int MaxBids { get; init; } = 1 << 16;

    /// <summary>Most live offers at once, all markets together.</summary>
    public int MaxOffers { get; init; } = 1 << 14;

    /// <summary>Distinct bid constraint sets indexed separately (see MatchingEngine.Buckets); further ones share a filtered bucket.</summary>
    public int MaxConstraintBuckets { get; init; } = 1_024;

    /// <summary>Instances up to this many bids are solved exactly by the batch auction; larger ones greedily.</summary>
    public int ExactBatchMaxBids { get; init; } = 12;

    public MarketConfig Market(ComputeType type, byte grade) => _markets[Index(type, grade)];

    public EngineConfig With(ComputeType type, byte grade, MarketConfig config)
    {
        _markets[Index(type, grade)] = config;
        return this;
    }

    internal MarketConfig this[int market] => _markets[market];

    /// <summary>Market index type × 4 + grade − 1, or −1 when the pair names no market.</summary>
    public static int Index(ComputeType type, byte grade) =>
        (uint)type <= 2 && Grades.IsValid(grade) ? (int)type * 4 + grade - 1 : -1;
}
