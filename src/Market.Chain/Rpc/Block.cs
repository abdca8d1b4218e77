using System.Numerics;
using System.Text.Json;

namespace Market.Chain.Rpc;

/// <summary>A block header with its transaction hashes (eth_getBlockByNumber with full = false).</summary>
public sealed record Block(
    ulong Number,
    string Hash,
    string ParentHash,
    ulong Timestamp,
    BigInteger GasLimit,
    BigInteger GasUsed,
    BigInteger? BaseFeePerGas,
    IReadOnlyList<string> TransactionHashes)
{
    internal static Block Parse(JsonElement e) => new(
        e.U64("number"),
        e.Str("hash"),
        e.Str("parentHash"),
        e.U64("timestamp"),
        e.Quantity("gasLimit"),
        e.Quantity("gasUsed"),
        e.OptQuantity("baseFeePerGas"),
        e.Arr("transactions").EnumerateArray()
            .Select(t => t.ValueKind == JsonValueKind.String ? t.GetString()! : t.Str("hash")).ToList());
}
