using System.Text.Json;

namespace Market.Chain.Rpc;

/// <summary>An event log as eth_getLogs and receipts return it.</summary>
public sealed record Log(
    Address Address,
    IReadOnlyList<byte[]> Topics,
    byte[] Data,
    ulong BlockNumber,
    string? BlockHash,
    string TransactionHash,
    ulong TransactionIndex,
    ulong LogIndex,
    bool Removed)
{
    internal static Log Parse(JsonElement e) => new(
        Address.Parse(e.Str("address").ToLowerInvariant()),
        e.Arr("topics").EnumerateArray().Select(t => Hex.Decode(t.GetString(), 32)).ToList(),
        e.Bytes("data"),
        e.U64("blockNumber"),
        e.OptStr("blockHash"),
        e.Str("transactionHash"),
        e.U64("transactionIndex"),
        e.U64("logIndex"),
        e.TryGetProperty("removed", out var r) && r.ValueKind == JsonValueKind.True);
}
