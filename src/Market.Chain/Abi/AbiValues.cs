using System.Collections;
using System.Globalization;
using System.Numerics;

namespace Market.Chain.Abi;

/// <summary>
/// Converts the C# values callers pass into what the encoder needs. Integers: any .NET integer,
/// BigInteger, UInt128/Int128, or a decimal / 0x-hex string. Addresses: <see cref="Address"/> or a
/// hex string. Bytes: byte[], ReadOnlyMemory&lt;byte&gt; or hex. Arrays and tuples: any IList,
/// tuples also <see cref="IAbiTuple"/> or a dictionary keyed by component name.
/// </summary>
public static class AbiValues
{
    public static BigInteger ToBigInteger(object? value) => value switch
    {
        BigInteger b => b,
        int i => i, long l => l, uint u => u, ulong ul => ul, short s => s, ushort us => us,
        byte by => by, sbyte sb => sb, UInt128 u128 => u128, Int128 i128 => i128,
        Enum e => Convert.ToInt64(e, CultureInfo.InvariantCulture),
        string s when s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) => Hex.DecodeQuantity(s),
        string s when s.StartsWith('-') && BigInteger.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var neg) => neg,
        string s when BigInteger.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var pos) => pos,
        _ => throw new AbiEncodingException($"expected an integer, got {Describe(value)}"),
    };

    public static Address ToAddress(object? value) => value switch
    {
        Address a => a,
        string s => Address.Parse(s),
        byte[] { Length: 20 } b => new Address(b),
        _ => throw new AbiEncodingException($"expected an address, got {Describe(value)}"),
    };

    public static byte[] ToBytes(object? value) => value switch
    {
        byte[] b => b,
        ReadOnlyMemory<byte> m => m.ToArray(),
        Memory<byte> m => m.ToArray(),
        string s => Hex.Decode(s),
        _ => throw new AbiEncodingException($"expected bytes, got {Describe(value)}"),
    };

    public static IList ToList(object? value, AbiType type)
    {
        if (type.Kind == AbiTypeKind.Tuple)
        {
            switch (value)
            {
                case IAbiTuple t: return t.ToAbiValues();
                case IDictionary<string, object?> d:
                    return type.Components.Select(c => d.TryGetValue(c.Name, out var v) ? v : throw new AbiEncodingException($"missing tuple component '{c.Name}'")).ToArray();
            }
        }
        if (value is IList list and not byte[]) return list;
        throw new AbiEncodingException($"expected a list for {type.CanonicalName}, got {Describe(value)}");
    }

    internal static string Describe(object? value) => value is null ? "null" : $"{value.GetType().Name} {AbiValueFormatter.Format(value)}";
}
