using System.Numerics;
using System.Text.Json;

namespace Market.Chain.Rpc;

/// <summary>eth_feeHistory: base fees (one more than blocks: the last is the next block's), used ratios, tip percentiles.</summary>
public sealed record FeeHistory(ulong OldestBlock, IReadOnlyList<BigInteger> BaseFeePerGas, IReadOnlyList<double> GasUsedRatio, IReadOnlyList<IReadOnlyList<BigInteger>> Reward)
{
    public BigInteger NextBaseFee => BaseFeePerGas.Count > 0 ? BaseFeePerGas[^1] : 0;

    internal static FeeHistory Parse(JsonElement e) => new(
        e.U64("oldestBlock"),
        e.Arr("baseFeePerGas").EnumerateArray().Select(x => Hex.DecodeQuantity(x.GetString())).ToList(),
        e.Arr("gasUsedRatio").EnumerateArray().Select(x => x.GetDouble()).ToList(),
        e.TryGetProperty("reward", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Select(row => (IReadOnlyList<BigInteger>)row.EnumerateArray().Select(x => Hex.DecodeQuantity(x.GetString())).ToList()).ToList()
            : []);
}
