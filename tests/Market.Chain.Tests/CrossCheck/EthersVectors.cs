using System.Numerics;
using System.Text.Json;
using Market.Chain;
using Market.Chain.Abi;
using Market.TestSupport;

namespace Market.Chain.Tests.CrossCheck;

/// <summary>One `node js/vectors.js gen SEED` run, shared by every cross-check test class.</summary>
public sealed class EthersVectors
{
    public const int Seed = 20261122;
    public static readonly string Script = RepoRoot.Combine("tests", "Market.Chain.Tests", "js", "vectors.js");

    private static readonly Lazy<JsonElement> Cases = new(() =>
    {
        var json = NodeScript.RunAsync(Script, ["gen", Seed.ToString()]).GetAwaiter().GetResult();
        return JsonDocument.Parse(json).RootElement.Clone();
    });

    public static JsonElement Get(string kind) => Cases.Value.GetProperty(kind);

    /// <summary>A JSON value as the C# encoders take it: strings stay strings, arrays become lists.</summary>
    public static object? ToValue(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => e.EnumerateArray().Select(ToValue).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => BigInteger.Parse(e.GetRawText()),
        _ => null,
    };

    /// <summary>Decoded ABI values in the JSON shape ethers' side uses (decimal ints, checksummed addresses, 0x hex).</summary>
    public static string Normalize(object? v) => v switch
    {
        null => "null",
        BigInteger b => "\"" + b + "\"",
        Address a => "\"" + a + "\"",
        byte[] bytes => "\"" + Hex.Encode(bytes) + "\"",
        string s => JsonSerializer.Serialize(s),
        bool b => b ? "true" : "false",
        System.Collections.IList list => "[" + string.Join(",", list.Cast<object?>().Select(Normalize)) + "]",
        _ => throw new InvalidOperationException(v.GetType().Name),
    };

    /// <summary>The same normalization for the JSON values ethers wrote.</summary>
    public static string Normalize(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => "[" + string.Join(",", e.EnumerateArray().Select(Normalize)) + "]",
        JsonValueKind.String when Hex.IsHex(e.GetString()) && e.GetString()!.Length != 42 => "\"" + e.GetString()!.ToLowerInvariant() + "\"",
        JsonValueKind.String => JsonSerializer.Serialize(e.GetString()),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => e.GetRawText(),
    };
}
