using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace Market.Chain.Eip712;

/// <summary>Reads the JSON form of eth_signTypedData_v4: { types, primaryType, domain, message }.</summary>
public static class TypedDataJson
{
    public static TypedData Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return Parse(doc.RootElement);
        }
        catch (JsonException ex) { throw new TypedDataException($"typed data is not valid JSON: {ex.Message}", ex); }
    }

    public static TypedData Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new TypedDataException("typed data is a JSON object");
        var types = new Dictionary<string, IReadOnlyList<TypedDataField>>(StringComparer.Ordinal);
        foreach (var t in Required(root, "types", JsonValueKind.Object).EnumerateObject())
        {
            if (t.Value.ValueKind != JsonValueKind.Array) throw new TypedDataException($"type '{t.Name}' must be an array of fields");
            types[t.Name] = t.Value.EnumerateArray().Select(f => new TypedDataField(
                Str(f, "name") ?? throw new TypedDataException($"a field of '{t.Name}' has no name"),
                Str(f, "type") ?? throw new TypedDataException($"a field of '{t.Name}' has no type"))).ToList();
        }
        var primaryType = Required(root, "primaryType", JsonValueKind.String).GetString()!;
        var domainJson = Required(root, "domain", JsonValueKind.Object);
        var message = ToValue(Required(root, "message", JsonValueKind.Object)) as IReadOnlyDictionary<string, object?>;
        return new TypedData(ParseDomain(domainJson), types, primaryType, message!);
    }

    private static Eip712Domain ParseDomain(JsonElement d) => new()
    {
        Name = Str(d, "name"),
        Version = Str(d, "version"),
        ChainId = d.TryGetProperty("chainId", out var c) && c.ValueKind != JsonValueKind.Null ? Abi.AbiValues.ToBigInteger(ToValue(c)) : null,
        VerifyingContract = Str(d, "verifyingContract") is { } v ? Address.Parse(v) : null,
        Salt = Str(d, "salt") is { } s ? Hex.Decode(s, 32) : null,
    };

    /// <summary>JSON → C# values: objects to dictionaries, arrays to lists, numbers to BigInteger.</summary>
    public static object? ToValue(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => ToValue(p.Value)) as IReadOnlyDictionary<string, object?>,
        JsonValueKind.Array => e.EnumerateArray().Select(ToValue).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => BigInteger.TryParse(e.GetRawText(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n : throw new TypedDataException($"typed data numbers must be integers, got {e.GetRawText()}"),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static JsonElement Required(JsonElement root, string name, JsonValueKind kind) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == kind ? v : throw new TypedDataException($"typed data needs '{name}' ({kind})");

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
