using System.Numerics;
using System.Text.Json;

namespace Market.Chain.Rpc;

/// <summary>Small accessors for node answers; a missing or malformed field is a <see cref="ChainException"/>.</summary>
internal static class JsonReader
{
    public static string Str(this JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new ChainException($"node answer lacks string '{name}'");

    public static string? OptStr(this JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static BigInteger Quantity(this JsonElement e, string name) => Hex.DecodeQuantity(e.Str(name));

    public static BigInteger? OptQuantity(this JsonElement e, string name) => e.OptStr(name) is { } s ? Hex.DecodeQuantity(s) : null;

    public static ulong U64(this JsonElement e, string name) => Hex.DecodeQuantityUInt64(e.Str(name));

    public static byte[] Bytes(this JsonElement e, string name) => Hex.Decode(e.Str(name));

    public static Address? OptAddress(this JsonElement e, string name) => e.OptStr(name) is { } s ? Address.Parse(s.ToLowerInvariant()) : null;

    public static JsonElement Arr(this JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v : throw new ChainException($"node answer lacks array '{name}'");
}
