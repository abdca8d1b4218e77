using System.Collections;
using System.Globalization;
using System.Numerics;

namespace Market.Chain.Abi;

/// <summary>Renders decoded ABI values for messages and logs: bytes as hex, lists in brackets.</summary>
public static class AbiValueFormatter
{
    public static string Format(object? value) => value switch
    {
        null => "null",
        byte[] b => Hex.Encode(b.AsSpan(0, Math.Min(b.Length, 64))) + (b.Length > 64 ? "…" : ""),
        string s => "\"" + (s.Length > 80 ? s[..80] + "…" : s) + "\"",
        bool b => b ? "true" : "false",
        BigInteger i => i.ToString(CultureInfo.InvariantCulture),
        IAbiTuple t => Format(t.ToAbiValues()),
        IList list => "[" + string.Join(", ", list.Cast<object?>().Select(Format)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
