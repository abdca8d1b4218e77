using System.Numerics;

namespace Market.Chain.Abi;

/// <summary>Standard (non-packed) ABI encoding: heads then tails, offsets relative to the tuple start.</summary>
public static class AbiEncoder
{
    public static byte[] Encode(IReadOnlyList<AbiType> types, IReadOnlyList<object?> values)
    {
        if (types.Count != values.Count) throw new AbiEncodingException($"expected {types.Count} values, got {values.Count}");
        var buffer = new MemoryStream();
        EncodeSequence(buffer, types, values as System.Collections.IList ?? values.ToArray());
        return buffer.ToArray();
    }

    public static byte[] Encode(IReadOnlyList<AbiParameter> parameters, IReadOnlyList<object?> values) =>
        Encode(parameters.Select(p => p.Type).ToList(), values);

    public static byte[] Encode(string[] types, params object?[] values) => Encode(types.Select(AbiType.Parse).ToList(), values);

    /// <summary>One value on its own (as if a 1-tuple).</summary>
    public static byte[] EncodeValue(AbiType type, object? value) => Encode([type], [value]);

    private static void EncodeSequence(MemoryStream output, IReadOnlyList<AbiType> types, System.Collections.IList values)
    {
        if (types.Count != values.Count) throw new AbiEncodingException($"expected {types.Count} values, got {values.Count}");
        int headSize = 0;
        foreach (var t in types) headSize += t.HeadSize;
        var tails = new MemoryStream();
        for (int i = 0; i < types.Count; i++)
        {
            if (types[i].IsDynamic)
            {
                WriteWord(output, BigEndian.ToPadded(headSize + tails.Length));
                EncodeInto(tails, types[i], values[i]);
            }
            else EncodeInto(output, types[i], values[i]);
        }
        tails.Position = 0;
        tails.CopyTo(output);
    }

    private static void EncodeInto(MemoryStream output, AbiType type, object? value)
    {
        switch (type.Kind)
        {
            case AbiTypeKind.UInt:
            case AbiTypeKind.Int:
                WriteWord(output, EncodeInteger(type, AbiValues.ToBigInteger(value)));
                break;
            case AbiTypeKind.Address:
                var word = new byte[32];
                AbiValues.ToAddress(value).Bytes.CopyTo(word.AsSpan(12));
                WriteWord(output, word);
                break;
            case AbiTypeKind.Bool:
                if (value is not bool b) throw new AbiEncodingException($"expected a bool, got {AbiValues.Describe(value)}");
                WriteWord(output, BigEndian.ToPadded(b ? 1 : 0));
                break;
            case AbiTypeKind.FixedBytes:
                var fixedBytes = AbiValues.ToBytes(value);
                if (fixedBytes.Length != type.Size) throw new AbiEncodingException($"{type.CanonicalName} needs {type.Size} bytes, got {fixedBytes.Length}");
                WritePadded(output, fixedBytes);
                break;
            case AbiTypeKind.Bytes:
            case AbiTypeKind.String:
                var bytes = type.Kind == AbiTypeKind.String
                    ? System.Text.Encoding.UTF8.GetBytes(value as string ?? throw new AbiEncodingException($"expected a string, got {AbiValues.Describe(value)}"))
                    : AbiValues.ToBytes(value);
                WriteWord(output, BigEndian.ToPadded(bytes.Length));
                WritePadded(output, bytes);
                break;
            case AbiTypeKind.Array:
                var items = AbiValues.ToList(value, type);
                WriteWord(output, BigEndian.ToPadded(items.Count));
                EncodeSequence(output, Repeat(type.Element!, items.Count), items);
                break;
            case AbiTypeKind.FixedArray:
                var fixedItems = AbiValues.ToList(value, type);
                if (fixedItems.Count != type.Length) throw new AbiEncodingException($"{type.CanonicalName} needs {type.Length} items, got {fixedItems.Count}");
                EncodeSequence(output, Repeat(type.Element!, type.Length), fixedItems);
                break;
            case AbiTypeKind.Tuple:
                EncodeSequence(output, type.Components.Select(c => c.Type).ToList(), AbiValues.ToList(value, type));
                break;
        }
    }

    internal static byte[] EncodeInteger(AbiType type, BigInteger v)
    {
        if (type.Kind == AbiTypeKind.UInt)
        {
            if (v.Sign < 0 || v.GetBitLength() > type.Size) throw new AbiEncodingException($"{v} does not fit {type.CanonicalName}");
            return BigEndian.ToPadded(v);
        }
        var limit = BigInteger.One << (type.Size - 1);
        if (v < -limit || v >= limit) throw new AbiEncodingException($"{v} does not fit {type.CanonicalName}");
        return v.Sign >= 0 ? BigEndian.ToPadded(v) : BigEndian.ToPadded((BigInteger.One << 256) + v);
    }

    private static AbiType[] Repeat(AbiType t, int n)
    {
        var result = new AbiType[n];
        Array.Fill(result, t);
        return result;
    }

    private static void WriteWord(MemoryStream output, byte[] word32) => output.Write(word32, 0, 32);

    private static void WritePadded(MemoryStream output, byte[] bytes)
    {
        output.Write(bytes);
        int pad = (32 - bytes.Length % 32) % 32;
        for (int i = 0; i < pad; i++) output.WriteByte(0);
    }
}
