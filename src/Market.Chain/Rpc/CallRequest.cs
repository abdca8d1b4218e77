using System.Numerics;
using System.Text.Json.Nodes;

namespace Market.Chain.Rpc;

/// <summary>The call object of eth_call and eth_estimateGas.</summary>
public sealed record CallRequest
{
    public Address? From { get; init; }
    public Address? To { get; init; }
    public byte[] Data { get; init; } = [];
    public BigInteger? Value { get; init; }
    public BigInteger? Gas { get; init; }

    internal JsonObject ToJson()
    {
        var o = new JsonObject();
        if (From is { } f) o["from"] = f.ToLowerHex();
        if (To is { } t) o["to"] = t.ToLowerHex();
        o["data"] = Hex.Encode(Data);
        if (Value is { } v) o["value"] = Hex.EncodeQuantity(v);
        if (Gas is { } g) o["gas"] = Hex.EncodeQuantity(g);
        return o;
    }
}
