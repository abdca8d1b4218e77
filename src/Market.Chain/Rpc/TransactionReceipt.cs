using System.Numerics;
using System.Text.Json;

namespace Market.Chain.Rpc;

/// <summary>eth_getTransactionReceipt's answer.</summary>
public sealed record TransactionReceipt(
    string TransactionHash,
    ulong BlockNumber,
    string BlockHash,
    Address From,
    Address? To,
    Address? ContractAddress,
    bool Succeeded,
    BigInteger GasUsed,
    BigInteger EffectiveGasPrice,
    IReadOnlyList<Log> Logs)
{
    internal static TransactionReceipt Parse(JsonElement e) => new(
        e.Str("transactionHash"),
        e.U64("blockNumber"),
        e.Str("blockHash"),
        e.OptAddress("from") ?? Address.Zero,
        e.OptAddress("to"),
        e.OptAddress("contractAddress"),
        e.Quantity("status") == 1,
        e.Quantity("gasUsed"),
        e.OptQuantity("effectiveGasPrice") ?? 0,
        e.Arr("logs").EnumerateArray().Select(Log.Parse).ToList());
}
