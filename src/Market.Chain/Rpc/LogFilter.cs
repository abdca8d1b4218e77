namespace Market.Chain.Rpc;

/// <summary>
/// eth_getLogs filter over an inclusive block range. Topics: position i matches any of the given
/// 32-byte values; a null position matches anything.
/// </summary>
public sealed record LogFilter
{
    public ulong FromBlock { get; init; }
    /// <summary>Null: up to the latest block at the time of the query.</summary>
    public ulong? ToBlock { get; init; }
    public IReadOnlyList<Address> Addresses { get; init; } = [];
    public IReadOnlyList<IReadOnlyList<byte[]>?> Topics { get; init; } = [];
}
